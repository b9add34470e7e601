// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/ini_config.hpp"

#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

using lacme::ini_config;
using lacme::parse_yes_no;
using lacme::test::error_message;

namespace {

const ini_config::schema lacme_conf_schema = {
    {"client", {"user", "group", "command", "server", "timeout"}},
    {"webserver", {"listen", "challenge-directory", "iptables"}},
    {"accountd", {"user", "group", "command", "config", "quiet"}},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(ini_config_parsing)

BOOST_AUTO_TEST_CASE(reads_default_section_and_named_sections)
{
    const auto config = ini_config::parse("privkey = file:/etc/key.pem\n"
                                          "[client]\n"
                                          "server = https://acme.example/dir\n"
                                          "[webserver]\n"
                                          "listen = /run/lacme-www.socket\n",
                                          "test.conf");
    BOOST_TEST(config.origin() == "test.conf");
    BOOST_TEST(*config.get("", "privkey") == "file:/etc/key.pem");
    BOOST_TEST(*config.get("client", "server") == "https://acme.example/dir");
    BOOST_TEST(*config.get("webserver", "listen") == "/run/lacme-www.socket");
    BOOST_TEST(!config.get("client", "listen"));
    BOOST_TEST(!config.get("nosuchsection", "server"));
    BOOST_TEST(config.has_section(""));
    BOOST_TEST(config.has_section("client"));
    BOOST_TEST(!config.has_section("accountd"));
}

BOOST_AUTO_TEST_CASE(trims_blanks_around_keys_values_and_section_names)
{
    const auto config = ini_config::parse("  \tkey\t=   spaced value  \t\n[  client  ]\nuser=nobody\n", "t");
    BOOST_TEST(*config.get("", "key") == "spaced value");
    BOOST_TEST(config.has_section("client"));
    BOOST_TEST(*config.get("client", "user") == "nobody");
}

BOOST_AUTO_TEST_CASE(value_keeps_later_equals_signs_and_may_be_empty)
{
    const auto config = ini_config::parse("privkey = pkcs11:token=a;object=b\nempty =\n", "t");
    BOOST_TEST(*config.get("", "privkey") == "pkcs11:token=a;object=b");
    BOOST_TEST(*config.get("", "empty") == "");
}

BOOST_AUTO_TEST_CASE(hash_and_semicolon_comment_lines_are_ignored)
{
    const auto config = ini_config::parse("# a comment = not a key\n"
                                          "; another = not a key\n"
                                          "   # indented comment\n"
                                          "\t; indented too\n"
                                          "\n"
                                          "   \n"
                                          "[client]\n"
                                          "#user = root\n"
                                          "user = _lacme-client\n",
                                          "t");
    BOOST_TEST(!config.get("", "# a comment"));
    BOOST_TEST(!config.get("", "; another"));
    BOOST_TEST(*config.get("client", "user") == "_lacme-client");
    BOOST_CHECK_NO_THROW(config.check({{"client", {"user"}}}));  // nothing stray in the default section
}

BOOST_AUTO_TEST_CASE(inline_comment_needs_blank_semicolon_blank)
{
    const auto config = ini_config::parse("a = value ; a comment\n"
                                          "b = x;y\n"
                                          "c = x ;y\n"
                                          "d = x; y\n"
                                          "e = x\t;\tcomment\n"
                                          "f = x ; \n"
                                          "[client] ; comment after a header\n"
                                          "user = u\n",
                                          "t");
    BOOST_TEST(*config.get("", "a") == "value");
    BOOST_TEST(*config.get("", "b") == "x;y");
    BOOST_TEST(*config.get("", "c") == "x ;y");
    BOOST_TEST(*config.get("", "d") == "x; y");
    BOOST_TEST(*config.get("", "e") == "x");
    BOOST_TEST(*config.get("", "f") == "x ;");  // Config::Tiny wants text after " ; "
    BOOST_TEST(*config.get("client", "user") == "u");
}

BOOST_AUTO_TEST_CASE(crlf_and_lone_cr_line_ends)
{
    const auto config = ini_config::parse("a = 1\r\n[client]\r\nuser = u\r\nserver = s\rtimeout = 30", "t");
    BOOST_TEST(*config.get("", "a") == "1");
    BOOST_TEST(*config.get("client", "user") == "u");
    BOOST_TEST(*config.get("client", "server") == "s");
    BOOST_TEST(*config.get("client", "timeout") == "30");
    // Line numbers count CRLF as one line end.
    BOOST_TEST(error_message([] { (void)ini_config::parse("a = 1\r\n\r\nbroken\r\n", "crlf.conf"); }) ==
               "crlf.conf:3: syntax error: 'broken'");
}

BOOST_AUTO_TEST_CASE(duplicate_keys_last_one_wins)
{
    const auto config =
        ini_config::parse("[client]\nuser = first\nuser = second\n[webserver]\n[client]\nuser = third\n", "t");
    BOOST_TEST(*config.get("client", "user") == "third");
}

BOOST_AUTO_TEST_CASE(syntax_errors_name_file_and_line)
{
    BOOST_TEST(error_message([] { (void)ini_config::parse("a = 1\n# fine\nno equals sign\n", "x.conf"); }) ==
               "x.conf:3: syntax error: 'no equals sign'");
    BOOST_TEST(error_message([] { (void)ini_config::parse("\n = value\n", "x.conf"); }) ==
               "x.conf:2: syntax error: '= value'");
    BOOST_TEST(error_message([] { (void)ini_config::parse("[client\n", "x.conf"); }) ==
               "x.conf:1: syntax error: '[client'");
    BOOST_TEST(error_message([] { (void)ini_config::parse("a = 1\n[  ]\n", "x.conf"); }) ==
               "x.conf:2: empty section name");
}

BOOST_AUTO_TEST_CASE(check_accepts_known_keys_and_sections)
{
    const auto config = ini_config::parse("[client]\nuser = u\ncommand = c\n[accountd]\nquiet = Yes\n", "t");
    BOOST_CHECK_NO_THROW(config.check(lacme_conf_schema));
}

BOOST_AUTO_TEST_CASE(check_names_file_and_line_of_unknown_key)
{
    const auto config = ini_config::parse("[client]\nuser = u\n\n# c\nusr = typo\n", "/etc/lacme/lacme.conf");
    BOOST_TEST(error_message([&] { config.check(lacme_conf_schema); }) ==
               "/etc/lacme/lacme.conf:5: unknown key 'usr' in section [client]");
}

BOOST_AUTO_TEST_CASE(check_names_file_and_line_of_unknown_section)
{
    const auto config = ini_config::parse("[client]\nuser = u\n[clinet]\nuser = v\n", "lacme.conf");
    BOOST_TEST(error_message([&] { config.check(lacme_conf_schema); }) == "lacme.conf:3: unknown section [clinet]");
    // An empty unknown section is still an error.
    const auto empty = ini_config::parse("[bogus]\n", "lacme.conf");
    BOOST_TEST(error_message([&] { empty.check(lacme_conf_schema); }) == "lacme.conf:1: unknown section [bogus]");
}

BOOST_AUTO_TEST_CASE(check_default_section_keys)
{
    const ini_config::schema accountd_schema = {{"", {"privkey", "socket", "quiet"}}};
    const auto good = ini_config::parse("privkey = file:k\nquiet = No\n", "accountd.conf");
    BOOST_CHECK_NO_THROW(good.check(accountd_schema));
    const auto bad = ini_config::parse("privkey = file:k\nsockett = /x\n", "accountd.conf");
    BOOST_TEST(error_message([&] { bad.check(accountd_schema); }) == "accountd.conf:2: unknown key 'sockett'");
    const auto section = ini_config::parse("privkey = file:k\n[accountd]\n", "accountd.conf");
    BOOST_TEST(error_message([&] { section.check(accountd_schema); }) == "accountd.conf:2: unknown section [accountd]");
    // Settings before the first header when the schema has no default section.
    const auto stray = ini_config::parse("\nstray = 1\n[client]\n", "lacme.conf");
    BOOST_TEST(error_message([&] { stray.check(lacme_conf_schema); }) == "lacme.conf:2: settings outside of a section");
}

BOOST_AUTO_TEST_CASE(read_file_uses_path_as_origin)
{
    lacme::test::temp_dir dir;
    const std::string path = dir.file("lacme-accountd.conf");
    lacme::test::write_file(path, "privkey = file:%E/lacme/account.key\nbogus = 1\n");
    const auto config = ini_config::read_file(path);
    BOOST_TEST(config.origin() == path);
    BOOST_TEST(*config.get("", "privkey") == "file:%E/lacme/account.key");
    BOOST_TEST(error_message([&] { config.check({{"", {"privkey"}}}); }) == path + ":2: unknown key 'bogus'");
}

BOOST_AUTO_TEST_CASE(read_file_missing_file_is_an_error_naming_it)
{
    lacme::test::temp_dir dir;
    const std::string path = dir.file("absent.conf");
    BOOST_TEST(error_message([&] { (void)ini_config::read_file(path); }) ==
               "can't open " + path + ": No such file or directory");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ini_config_sections)

BOOST_AUTO_TEST_CASE(lists_every_section_with_lines)
{
    const auto config = ini_config::parse("top = 1\n[b]\nk = v\n[a]\n[b]\nk2 = w\n", "t");
    const auto& sections = config.sections();
    BOOST_REQUIRE_EQUAL(sections.size(), 3u);
    BOOST_TEST(sections.at("").values.at("top").text == "1");
    BOOST_TEST(sections.at("a").line == 4);
    BOOST_TEST(sections.at("b").line == 2);
    BOOST_TEST(sections.at("b").values.at("k2").line == 6);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(yes_no)

BOOST_AUTO_TEST_CASE(accepts_yes_and_no_in_any_case)
{
    BOOST_TEST(parse_yes_no("quiet", "Yes") == true);
    BOOST_TEST(parse_yes_no("quiet", "yes") == true);
    BOOST_TEST(parse_yes_no("quiet", "YES") == true);
    BOOST_TEST(parse_yes_no("quiet", "No") == false);
    BOOST_TEST(parse_yes_no("quiet", "no") == false);
    BOOST_TEST(parse_yes_no("quiet", "nO") == false);
}

BOOST_AUTO_TEST_CASE(anything_else_is_an_error_naming_the_key)
{
    BOOST_TEST(error_message([] { (void)parse_yes_no("iptables", "true"); }) ==
               "invalid value 'true' for iptables (expected Yes or No)");
    BOOST_TEST(error_message([] { (void)parse_yes_no("quiet", ""); }) ==
               "invalid value '' for quiet (expected Yes or No)");
    BOOST_TEST(error_message([] { (void)parse_yes_no("quiet", "1"); }) != "<no exception>");
    BOOST_TEST(error_message([] { (void)parse_yes_no("quiet", "y"); }) != "<no exception>");
}

BOOST_AUTO_TEST_SUITE_END()
