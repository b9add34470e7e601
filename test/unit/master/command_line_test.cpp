// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/command_line.hpp"

#include <boost/test/unit_test.hpp>

using namespace lacme::master;

namespace {
command_line parse(std::initializer_list<const char*> args)
{
    return parse_command_line(std::vector<std::string>(args.begin(), args.end()));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(master_command_line)

BOOST_AUTO_TEST_CASE(options_anywhere_and_aliases)
{
    const auto cl = parse({"new-order", "--config=/etc/x.conf", "www", "--force", "-q", "--config-certs", "a.conf",
                           "--config-certs=b.conf", "--json", "--jobs=8", "mail"});
    BOOST_TEST((cl.command == command_kind::new_order));
    BOOST_TEST(*cl.config == "/etc/x.conf");
    BOOST_TEST(*cl.min_days == -1);
    BOOST_TEST(cl.quiet);
    BOOST_TEST(cl.json);
    BOOST_TEST(cl.max_concurrent == 8u);
    BOOST_TEST((cl.config_certs == std::vector<std::string>{"a.conf", "b.conf"}));
    BOOST_TEST((cl.arguments == std::vector<std::string>{"www", "mail"}));
}

// Issue 23: --force wins over --min-days whatever their order (lacme 0.8); a --min-days after
// --force used to undo it.
BOOST_AUTO_TEST_CASE(force_wins_over_min_days_in_any_order)
{
    BOOST_TEST(*parse({"newOrder", "--force", "--min-days=30"}).min_days == -1);
    BOOST_TEST(*parse({"newOrder", "--min-days=30", "--force"}).min_days == -1);
    BOOST_TEST(*parse({"newOrder", "--min-days", "30"}).min_days == 30);
}

BOOST_AUTO_TEST_CASE(account_flags_and_contacts)
{
    const auto cl =
        parse({"--socket=/run/S.lacme", "account", "--register", "--tos-agreed", "mailto:a@b", "--debug", "-q"});
    BOOST_TEST((cl.command == command_kind::account));
    BOOST_TEST(cl.register_account);
    BOOST_TEST(cl.tos_agreed);
    BOOST_TEST(!cl.deactivate);
    BOOST_TEST(!cl.quiet);  // --debug wins, as in lacme
    BOOST_TEST(*cl.socket == "/run/S.lacme");
    BOOST_TEST((cl.arguments == std::vector<std::string>{"mailto:a@b"}));
}

BOOST_AUTO_TEST_CASE(double_dash_ends_options)
{
    const auto cl = parse({"revokeCert", "--", "--weird-name.pem"});
    BOOST_TEST((cl.arguments == std::vector<std::string>{"--weird-name.pem"}));
}

BOOST_AUTO_TEST_CASE(help_and_version_need_no_command)
{
    BOOST_TEST((parse({"-h"}).command == command_kind::help));
    BOOST_TEST((parse({"--version"}).command == command_kind::version));
}

BOOST_AUTO_TEST_CASE(bad_usage_is_a_usage_error)
{
    BOOST_CHECK_THROW(parse({}), usage_error);
    BOOST_CHECK_THROW(parse({"renew"}), usage_error);
    BOOST_CHECK_THROW(parse({"account", "--bogus"}), usage_error);
    BOOST_CHECK_THROW(parse({"newOrder", "--min-days=abc"}), usage_error);
    BOOST_CHECK_THROW(parse({"newOrder", "--jobs=0"}), usage_error);
    BOOST_CHECK_THROW(parse({"newOrder", "--config"}), usage_error);
    BOOST_CHECK_THROW(parse({"newOrder", "--force=yes"}), usage_error);
    BOOST_CHECK_THROW(parse({"revokeCert"}), usage_error);
}

BOOST_AUTO_TEST_CASE(account_eab_and_rollover_options)
{
    const auto eab =
        parse({"account", "--register", "--eab-kid=kid-1", "--eab-hmac-key", "/etc/lacme/eab.key", "mailto:a@b"});
    BOOST_TEST(*eab.eab_kid == "kid-1");
    BOOST_TEST(*eab.eab_hmac_key == "/etc/lacme/eab.key");
    BOOST_TEST((eab.arguments == std::vector<std::string>{"mailto:a@b"}));
    BOOST_TEST(*parse({"account", "--rollover=/etc/lacme/new.conf"}).rollover == "/etc/lacme/new.conf");
    BOOST_CHECK_THROW(parse({"account", "--register", "--eab-kid=kid-1"}), usage_error);
    BOOST_CHECK_THROW(parse({"account", "--register", "--eab-hmac-key=-"}), usage_error);
    BOOST_CHECK_THROW(parse({"account", "--eab-kid=kid-1", "--eab-hmac-key=-"}), usage_error);  // no --register
    BOOST_CHECK_THROW(parse({"account", "--rollover=new.conf", "--deactivate"}), usage_error);
    BOOST_CHECK_THROW(parse({"newOrder", "--rollover=new.conf"}), usage_error);
}

BOOST_AUTO_TEST_SUITE_END()
