// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/relay/relay_sandbox.hpp"
#include "accountd/sandbox_policy.hpp"

#include "test/support/man_sandbox_table.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <string_view>

namespace {

using lacme::accountd::accountd_sandbox;
using lacme::accountd::key_kind;

bool allows(const lacme::sandbox::policy& p, std::string_view name)
{
    const auto rules = lacme::sandbox::syscalls_in_force(p);
    return std::any_of(rules.begin(), rules.end(), [&](const lacme::sandbox::syscall_rule& rule) {
        return rule.name == name && rule.action == lacme::sandbox::verdict::allow;
    });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(accountd_sandbox_table)

// lacme-accountd(1) prints accountd's sandbox: the page and the table in force agree.
BOOST_AUTO_TEST_CASE(man_page_prints_the_policy_table)
{
    BOOST_TEST(lacme::test::man_sandbox_table("lacme-accountd.1") ==
               lacme::sandbox::render_man_table(lacme::accountd::documented_sandbox_policy()));
}

BOOST_AUTO_TEST_CASE(no_key_may_exec_fork_or_listen)
{
    for (const key_kind kind : {key_kind::in_memory, key_kind::external}) {
        const accountd_sandbox box(kind);
        for (const char* forbidden :
             {"execve", "execveat", "fork", "vfork", "bind", "listen", "ptrace", "mkdir", "chmod", "symlink", "link"})
            BOOST_TEST(!allows(box.policy(), forbidden), forbidden);
    }
}

// An in-memory key needs no sockets of its own: socket() is refused (glibc's syslog retries it)
// and connect() kills.
BOOST_AUTO_TEST_CASE(in_memory_keys_cannot_connect)
{
    const accountd_sandbox box(key_kind::in_memory);
    BOOST_TEST(!allows(box.policy(), "socket"));
    BOOST_TEST(!allows(box.policy(), "connect"));
    for (const auto& rule : box.policy().paths)
        BOOST_TEST(rule.path != "/");
}

// Token and provider keys talk to their daemons over AF_UNIX only.
BOOST_AUTO_TEST_CASE(external_keys_get_unix_sockets_only)
{
    const accountd_sandbox box(key_kind::external);
    for (const auto& rule : box.policy().syscalls)
        if (rule.name == "socket") {
            BOOST_TEST(rule.conditional);
            BOOST_TEST(rule.when.value == static_cast<std::uint64_t>(AF_UNIX));
        }
    BOOST_TEST(allows(box.policy(), "connect"));
}

BOOST_AUTO_TEST_CASE(names_only_what_it_adds_to_the_base)
{
    BOOST_TEST(lacme::test::rules_repeating_the_base(lacme::accountd::documented_sandbox_policy()) == "");
}

BOOST_AUTO_TEST_CASE(the_key_method_chooses_the_rules)
{
    BOOST_TEST((lacme::accountd::key_kind_of("file:/k.pem") == key_kind::in_memory));
    BOOST_TEST((lacme::accountd::key_kind_of("gpg:/k.gpg") == key_kind::in_memory));
    BOOST_TEST((lacme::accountd::key_kind_of("pkcs11:token=a") == key_kind::external));
    BOOST_TEST((lacme::accountd::key_kind_of("store:handle:0x81000001") == key_kind::external));
}

// Each rule only for pkcs11: and store: keys says so in the man page.
BOOST_AUTO_TEST_CASE(rules_for_external_keys_say_so)
{
    const accountd_sandbox in_memory(key_kind::in_memory);
    const accountd_sandbox external(key_kind::external);
    for (const auto& rule : external.policy().syscalls) {
        const bool shared = std::any_of(in_memory.policy().syscalls.begin(), in_memory.policy().syscalls.end(),
                                        [&](const auto& r) { return r.name == rule.name && r.why == rule.why; });
        BOOST_TEST((shared || rule.why.starts_with("pkcs11: and store: keys only")), rule.name);
    }
}

// `--relay=NAME` (the SSH forced command) has its own, smaller table, printed on the same page.
BOOST_AUTO_TEST_CASE(man_page_prints_the_relay_table)
{
    BOOST_TEST(lacme::test::man_sandbox_table("lacme-accountd.1", "relay") ==
               lacme::sandbox::render_man_table(lacme::accountd::relay_sandbox_policy()));
    BOOST_TEST(lacme::test::rules_repeating_the_base(lacme::accountd::relay_sandbox_policy()) == "");
}

// Once connected, the relay copies bytes: it opens nothing, connects nowhere, runs nothing.
BOOST_AUTO_TEST_CASE(the_relay_only_copies_bytes)
{
    const auto& relay = lacme::accountd::relay_sandbox_policy();
    for (const char* forbidden : {"socket", "connect",  "open",   "openat", "openat2", "execve", "execveat", "fork",
                                  "vfork",  "clone",    "clone3", "bind",   "listen",  "accept", "accept4",  "ptrace",
                                  "unlink", "unlinkat", "rename", "mkdir",  "chmod",   "fchmod"})
        BOOST_TEST(!allows(relay, forbidden), forbidden);
    BOOST_TEST(relay.paths.empty());
}

BOOST_AUTO_TEST_SUITE_END()
