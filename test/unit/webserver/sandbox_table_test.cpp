// SPDX-License-Identifier: GPL-3.0-or-later
#include "webserver/sandbox_policy.hpp"

#include "test/support/man_sandbox_table.hpp"

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(webserver_sandbox_table)

// lacme-webserver(8) prints the webserver's sandbox: the page and the table in force agree.
BOOST_AUTO_TEST_CASE(man_page_prints_the_policy_table)
{
    BOOST_TEST(lacme::test::man_sandbox_table("lacme-webserver.8") ==
               lacme::sandbox::render_man_table(lacme::web::sandbox_policy()));
}

BOOST_AUTO_TEST_CASE(policy_forbids_what_a_hijacked_webserver_wants)
{
    for (const auto& rule : lacme::sandbox::syscalls_in_force(lacme::web::sandbox_policy()))
        for (const char* forbidden : {"socket", "connect", "bind", "listen", "execve", "execveat", "fork", "clone",
                                      "unlink", "unlinkat", "rename", "ptrace"})
            BOOST_TEST(rule.name != forbidden);
}

BOOST_AUTO_TEST_CASE(names_only_what_it_adds_to_the_base)
{
    BOOST_TEST(lacme::test::rules_repeating_the_base(lacme::web::sandbox_policy()) == "");
}

BOOST_AUTO_TEST_SUITE_END()
