// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/percent_expand.hpp"

#include "test/support/error_message.hpp"

#include <boost/test/unit_test.hpp>

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <map>

using lacme::percent_expander;
using lacme::test::error_message;

namespace {

using environment = std::map<std::string, std::string, std::less<>>;

percent_expander make(uid_t uid, gid_t gid, environment env)
{
    return percent_expander(uid, gid, [env = std::move(env)](std::string_view name) -> std::optional<std::string> {
        const auto it = env.find(name);
        if (it == env.end())
            return std::nullopt;
        return it->second;
    });
}

// An id no passwd/group database on a test machine uses.
constexpr uid_t unknown_uid = 0x7ffffff0;
constexpr gid_t unknown_gid = 0x7ffffff0;

const environment full_env = {
    {"HOME", "/home/alice"},
    {"XDG_CACHE_HOME", "/xdg/cache"},
    {"XDG_CONFIG_HOME", "/xdg/config"},
    {"XDG_RUNTIME_DIR", "/run/user/1000"},
    {"TMPDIR", "/var/tmp/alice"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(percent_expansion)

BOOST_AUTO_TEST_CASE(text_without_specifiers_is_unchanged)
{
    const auto e = make(1000, 1000, full_env);
    BOOST_TEST(e.expand("") == "");
    BOOST_TEST(e.expand("/etc/lacme/lacme.conf") == "/etc/lacme/lacme.conf");
}

BOOST_AUTO_TEST_CASE(root_uses_system_directories_and_ignores_xdg)
{
    const auto e = make(0, 0, full_env);
    BOOST_TEST(e.expand("%C") == "/var/cache");
    BOOST_TEST(e.expand("%E") == "/etc");
    BOOST_TEST(e.expand("%t") == "/run");
    BOOST_TEST(e.expand("%E/lacme/lacme-accountd.conf") == "/etc/lacme/lacme-accountd.conf");
    BOOST_TEST(e.expand("%t/S.lacme") == "/run/S.lacme");
}

BOOST_AUTO_TEST_CASE(root_needs_no_environment_for_system_directories)
{
    const auto e = make(0, 0, {});
    BOOST_TEST(e.expand("%C:%E:%t:%T") == "/var/cache:/etc:/run:/tmp");
}

BOOST_AUTO_TEST_CASE(non_root_uses_xdg_variables)
{
    const auto e = make(1000, 1000, full_env);
    BOOST_TEST(e.expand("%C") == "/xdg/cache");
    BOOST_TEST(e.expand("%E") == "/xdg/config");
    BOOST_TEST(e.expand("%t") == "/run/user/1000");
    BOOST_TEST(e.expand("%t/S.lacme") == "/run/user/1000/S.lacme");
}

BOOST_AUTO_TEST_CASE(non_root_falls_back_to_home_without_xdg)
{
    const auto e = make(1000, 1000, {{"HOME", "/home/bob"}});
    BOOST_TEST(e.expand("%C") == "/home/bob/.cache");
    BOOST_TEST(e.expand("%E/lacme/lacme-accountd.conf") == "/home/bob/.config/lacme/lacme-accountd.conf");
    // An empty XDG variable counts as unset.
    const auto empty = make(1000, 1000, {{"HOME", "/home/bob"}, {"XDG_CONFIG_HOME", ""}, {"XDG_CACHE_HOME", ""}});
    BOOST_TEST(empty.expand("%E") == "/home/bob/.config");
    BOOST_TEST(empty.expand("%C") == "/home/bob/.cache");
}

BOOST_AUTO_TEST_CASE(non_root_without_home_or_xdg_is_an_error)
{
    const auto e = make(1000, 1000, {});
    BOOST_TEST(error_message([&] { (void)e.expand("%E/lacme"); }) == "undefined expansion %E in \"%E/lacme\"");
    BOOST_TEST(error_message([&] { (void)e.expand("%C/lacme"); }) == "undefined expansion %C in \"%C/lacme\"");
}

BOOST_AUTO_TEST_CASE(percent_t_without_xdg_runtime_dir_is_an_error_for_non_root)
{
    const auto e = make(1000, 1000, {{"HOME", "/home/alice"}});
    BOOST_TEST(error_message([&] { (void)e.expand("%t/S.lacme"); }) ==
               "undefined expansion %t in \"%t/S.lacme\" (XDG_RUNTIME_DIR is not set)");
    const auto empty = make(1000, 1000, {{"XDG_RUNTIME_DIR", ""}});
    BOOST_TEST(error_message([&] { (void)empty.expand("%t"); }) ==
               "undefined expansion %t in \"%t\" (XDG_RUNTIME_DIR is not set)");
}

BOOST_AUTO_TEST_CASE(percent_capital_t_is_tmpdir_or_tmp)
{
    BOOST_TEST(make(1000, 1000, full_env).expand("%T/x") == "/var/tmp/alice/x");
    BOOST_TEST(make(0, 0, {{"TMPDIR", "/scratch"}}).expand("%T") == "/scratch");
    BOOST_TEST(make(1000, 1000, {}).expand("%T") == "/tmp");
    BOOST_TEST(make(1000, 1000, {{"TMPDIR", ""}}).expand("%T") == "/tmp");
}

BOOST_AUTO_TEST_CASE(numeric_ids)
{
    BOOST_TEST(make(1234, 5678, {}).expand("%U:%G") == "1234:5678");
    BOOST_TEST(make(0, 0, {}).expand("%U:%G") == "0:0");
    BOOST_TEST(make(unknown_uid, unknown_gid, {}).expand("%U") == std::to_string(unknown_uid));
}

BOOST_AUTO_TEST_CASE(names_and_home_come_from_the_user_database)
{
    const passwd* root = ::getpwuid(0);
    const group* root_group = ::getgrgid(0);
    BOOST_REQUIRE(root != nullptr);
    BOOST_REQUIRE(root_group != nullptr);
    const auto e = make(0, 0, {{"HOME", "/not/from/env"}});
    BOOST_TEST(e.expand("%u") == root->pw_name);
    BOOST_TEST(e.expand("%h") == root->pw_dir);
    BOOST_TEST(e.expand("%g") == root_group->gr_name);
}

BOOST_AUTO_TEST_CASE(unknown_uid_or_gid_is_an_error)
{
    const auto e = make(unknown_uid, unknown_gid, full_env);
    BOOST_TEST(error_message([&] { (void)e.expand("%u"); }) == "undefined expansion %u in \"%u\"");
    BOOST_TEST(error_message([&] { (void)e.expand("%h/x"); }) == "undefined expansion %h in \"%h/x\"");
    BOOST_TEST(error_message([&] { (void)e.expand("%g"); }) == "undefined expansion %g in \"%g\"");
}

BOOST_AUTO_TEST_CASE(double_percent_is_a_literal_percent)
{
    const auto e = make(1000, 1000, full_env);
    BOOST_TEST(e.expand("%%") == "%");
    BOOST_TEST(e.expand("100%%") == "100%");
    BOOST_TEST(e.expand("%%t") == "%t");  // not expanded again
    BOOST_TEST(e.expand("%%%%") == "%%");
    BOOST_TEST(e.expand("%U%%%G") == "1000%1000");
}

BOOST_AUTO_TEST_CASE(unknown_specifier_is_an_error)
{
    const auto e = make(1000, 1000, full_env);
    BOOST_TEST(error_message([&] { (void)e.expand("/x/%x"); }) == "\"/x/%x\" has unknown specifier %x");
    BOOST_TEST(error_message([&] { (void)e.expand("%c"); }) == "\"%c\" has unknown specifier %c");
    BOOST_TEST(error_message([&] { (void)e.expand("% "); }) == "\"% \" has unknown specifier % ");
}

BOOST_AUTO_TEST_CASE(trailing_lone_percent_is_an_error)
{
    const auto e = make(1000, 1000, full_env);
    BOOST_TEST(error_message([&] { (void)e.expand("50%"); }) == "\"50%\" ends with a lone %");
    BOOST_TEST(error_message([&] { (void)e.expand("%"); }) == "\"%\" ends with a lone %");
    BOOST_TEST(error_message([&] { (void)e.expand("%%%"); }) == "\"%%%\" ends with a lone %");
}

BOOST_AUTO_TEST_CASE(for_current_process_uses_real_ids)
{
    const auto e = percent_expander::for_current_process();
    BOOST_TEST(e.expand("%U") == std::to_string(::getuid()));
    BOOST_TEST(e.expand("%G") == std::to_string(::getgid()));
}

BOOST_AUTO_TEST_SUITE_END()
