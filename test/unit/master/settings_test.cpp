// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/settings.hpp"

#include "common/error.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

using namespace lacme::master;

namespace {
settings load(const lacme::test::temp_dir& dir, std::string_view text, std::optional<std::string> socket = std::nullopt)
{
    lacme::test::write_file(dir.file("lacme.conf"), text);
    command_line cl;
    cl.config = dir.file("lacme.conf");
    cl.socket = std::move(socket);
    return load_settings(cl);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(master_settings)

BOOST_AUTO_TEST_CASE(defaults_of_the_manual)
{
    const lacme::test::temp_dir dir;
    const settings s = load(dir, "");
    BOOST_TEST(s.client.user == "_lacme-client");
    BOOST_TEST(s.client.group == "nogroup");
    BOOST_TEST((s.client.command == std::vector<std::string>{"/usr/libexec/lacme/client"}));
    BOOST_TEST(accountd_socket_path(s) == "/run/S.lacme");  // %t for root
    BOOST_TEST((s.webserver.listen == std::vector<std::string>{"/run/lacme-www.socket"}));
    BOOST_TEST(s.webserver.role.user == "_lacme-www");
    BOOST_TEST(!s.webserver.iptables);
    BOOST_TEST(!s.accountd);
    BOOST_TEST(s.client_config["server"].is_null());
    BOOST_TEST(s.client_config["command"] == "/usr/libexec/lacme/client");
}

BOOST_AUTO_TEST_CASE(sections_and_accountd)
{
    const lacme::test::temp_dir dir;
    const settings s = load(dir, "config-certs = a.conf  b.d/\n"
                                 "[client]\nserver = https://ca/dir\nuser =\n"
                                 "[webserver]\nlisten = 127.0.0.1:80, [::]:80\niptables = Yes\n"
                                 "[accountd]\ncommand = ssh -T signer  lacme-accountd\nquiet = No\n");
    BOOST_TEST((s.config_certs == std::vector<std::string>{"a.conf", "b.d/"}));
    BOOST_TEST(s.client.user.empty());
    BOOST_TEST(s.client_config["server"] == "https://ca/dir");
    BOOST_TEST((s.webserver.listen == std::vector<std::string>{"127.0.0.1:80", "[::]:80"}));
    BOOST_TEST(s.webserver.iptables);
    BOOST_REQUIRE(s.accountd);
    BOOST_TEST((s.accountd->role.command == std::vector<std::string>{"ssh", "-T", "signer", "lacme-accountd"}));
    BOOST_TEST(!s.accountd->quiet);
}

BOOST_AUTO_TEST_CASE(socket_option_ignores_accountd)
{
    const lacme::test::temp_dir dir;
    const settings s = load(dir, "[accountd]\n", "/tmp/S.x");
    BOOST_TEST(!s.accountd);
    BOOST_TEST(accountd_socket_path(s) == "/tmp/S.x");
}

BOOST_AUTO_TEST_CASE(errors_name_file_line_and_key)
{
    const lacme::test::temp_dir dir;
    BOOST_CHECK_EXCEPTION(load(dir, "[client]\nbogus = 1\n"), lacme::error, [](const lacme::error& e) {
        return std::string(e.what()).find("lacme.conf:2") != std::string::npos &&
               std::string(e.what()).find("bogus") != std::string::npos;
    });
    BOOST_CHECK_THROW(load(dir, "[nosuch]\n"), lacme::error);
    BOOST_CHECK_THROW(load(dir, "[client]\ncommand =\n"), lacme::error);
}

BOOST_AUTO_TEST_CASE(accountd_timeout_defaults_to_the_link_kind_and_is_bounded)
{
    const lacme::test::temp_dir dir;
    BOOST_TEST(load(dir, "").accountd_timeout == socket_accountd_timeout);
    BOOST_TEST(load(dir, "[accountd]\n").accountd_timeout == spawned_accountd_timeout);
    BOOST_TEST(load(dir, "[accountd]\n", "/tmp/S.x").accountd_timeout == socket_accountd_timeout);
    BOOST_TEST(load(dir, "[client]\naccountd-timeout = 7\n[accountd]\n").accountd_timeout == std::chrono::seconds(7));
    BOOST_TEST(load(dir, "[client]\naccountd-timeout = 900\n").accountd_timeout == std::chrono::seconds(900));
    for (const char* bad : {"0", "901", "-1", "2s"})
        BOOST_CHECK_THROW(load(dir, std::string("[client]\naccountd-timeout = ") + bad + "\n"), lacme::error);
}

BOOST_AUTO_TEST_CASE(lacme_08_configurations_read_as_lacme_08_with_warnings)
{
    const lacme::test::temp_dir dir;
    const settings s = load(dir, "colour = blue\n[client]\nSSL_verify = 0\n[webserver]\nlisten =\niptables = true\n"
                                 "[accountd]\nquiet = 1\n");
    BOOST_TEST(!s.webserver.iptables);  // only "yes" is on
    BOOST_REQUIRE(s.accountd);
    BOOST_TEST(s.accountd->quiet);  // only "no" is off
    BOOST_TEST(s.client_config["SSL_verify"] == "Yes");
    const std::string file = dir.file("lacme.conf");
    BOOST_REQUIRE(s.warnings.size() == 4u);
    BOOST_TEST(s.warnings[0].starts_with(file + ":1: unknown key 'colour'"));
    BOOST_TEST(s.warnings[1].starts_with(file + ":3: [client] SSL_verify: '0'"));
    BOOST_TEST(s.warnings[2].starts_with(file + ":6: [webserver] iptables: 'true'"));
    BOOST_TEST(s.warnings[3].starts_with(file + ":8: [accountd] quiet: '1'"));
    // An empty listen is an error only where a challenge responder is needed (newOrder).
    BOOST_CHECK_EXCEPTION(require_challenge_responder(s.webserver), lacme::error, [&](const lacme::error& e) {
        return std::string(e.what()).starts_with(file + ":5: 'challenge-directory' option is required");
    });
}

BOOST_AUTO_TEST_SUITE_END()
