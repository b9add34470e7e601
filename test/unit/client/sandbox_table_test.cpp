// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/sandbox_policy.hpp"

#include "test/support/man_sandbox_table.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>

#include <string_view>

BOOST_AUTO_TEST_SUITE(client_sandbox_table)

// lacme(8) prints the client's sandbox (CLIENT SANDBOX): the page and the table in force agree.
BOOST_AUTO_TEST_CASE(man_page_prints_the_policy_table)
{
    BOOST_TEST(lacme::test::man_sandbox_table("lacme.8") ==
               lacme::sandbox::render_man_table(lacme::client::sandbox_policy()));
}

BOOST_AUTO_TEST_CASE(policy_forbids_what_a_hijacked_client_wants)
{
    for (const auto& rule : lacme::sandbox::syscalls_in_force(lacme::client::sandbox_policy()))
        for (const char* forbidden : {"execve",    "execveat", "fork",     "vfork",     "bind",   "listen",   "accept",
                                      "accept4",   "rename",   "renameat", "renameat2", "link",   "linkat",   "symlink",
                                      "symlinkat", "mkdir",    "mkdirat",  "chmod",     "fchmod", "fchmodat", "chown",
                                      "fchown",    "fchownat", "truncate", "ftruncate", "ptrace", "open",     "creat"})
            BOOST_TEST(rule.name != forbidden);
}

// A clone without CLONE_THREAD (a process) and an open that writes an existing file are not
// in the table: only threads, and only new files.
BOOST_AUTO_TEST_CASE(clone_only_for_threads_and_writes_only_to_new_files)
{
    for (const auto& rule : lacme::client::sandbox_policy().syscalls) {
        const std::string_view name = rule.name;
        if (name == "clone") {
            BOOST_TEST(rule.conditional);
            BOOST_TEST(rule.when.value != 0u);
        }
        if (name == "openat") {
            BOOST_TEST(rule.conditional);
            const bool reads = (rule.when.value & O_ACCMODE) == O_RDONLY && (rule.when.mask & O_CREAT) != 0;
            const bool creates = (rule.when.value & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL) &&
                                 (rule.when.mask & (O_TRUNC | O_APPEND | O_EXCL)) == (O_TRUNC | O_APPEND | O_EXCL);
            BOOST_TEST((reads || creates), rule.when.text);
        }
    }
}

BOOST_AUTO_TEST_CASE(names_only_what_it_adds_to_the_base)
{
    BOOST_TEST(lacme::test::rules_repeating_the_base(lacme::client::sandbox_policy()) == "");
}

BOOST_AUTO_TEST_CASE(challenge_directory_only_for_new_orders)
{
    BOOST_TEST(lacme::client::runtime_path_rules(false, "").empty());
    const auto order = lacme::client::runtime_path_rules(true, "/etc/ca.pem");
    BOOST_REQUIRE_EQUAL(order.size(), 2u);
    BOOST_TEST(order[0].path == ".");
    BOOST_TEST((order[0].access == lacme::sandbox::fs_access::create_remove_files));
    BOOST_TEST((order[1].access == lacme::sandbox::fs_access::read));
    for (const auto& rule : lacme::client::sandbox_policy().paths)
        BOOST_TEST((rule.access != lacme::sandbox::fs_access::create_remove_files), rule.path);
}

BOOST_AUTO_TEST_SUITE_END()
