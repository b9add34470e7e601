// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/policy_file.hpp"

#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

using lacme::accountd::parse_signing_policy;
using lacme::accountd::read_signing_policy;
using lacme::test::error_message;

namespace {

std::string error_of(const std::string& text)
{
    return error_message([&] { (void)parse_signing_policy(text, "p.conf"); });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(policy_file)

BOOST_AUTO_TEST_CASE(the_issue_example_parses)
{
    const auto p = parse_signing_policy(R"([policy]
label = web1                                  ; names the caller in the audit log
ca = https://acme-v02.api.letsencrypt.org/    ; every signed "url" must start with this (optional)
identifiers = example.org *.example.org 192.0.2.0/24 2001:db8::/32
wildcards = *.example.org                     ; wildcard names (dns-01 only at a conforming CA)
operations = order revoke                     ; see below; default: order
max-orders-per-hour = 20                      ; optional; 0 = no limit
state-directory = /var/lib/lacme-accountd     ; where counters persist (needed for --stdio callers)
)",
                                        "p.conf");
    BOOST_TEST(p.label == "web1");
    BOOST_TEST(p.ca.value_or("") == "https://acme-v02.api.letsencrypt.org/");
    BOOST_TEST(p.identifiers.text().size() == 4u);
    BOOST_TEST((p.operations == std::set<std::string, std::less<>>{"order", "revoke"}));
    BOOST_TEST(p.max_orders_per_hour == 20u);
    BOOST_TEST(p.state_directory.value_or("") == "/var/lib/lacme-accountd");
    BOOST_TEST(describe(p) == "label: web1\nca: https://acme-v02.api.letsencrypt.org/\n"
                              "identifiers: example.org *.example.org 192.0.2.0/24 2001:db8::/32\n"
                              "wildcards: *.example.org\n"
                              "operations: order revoke (and always: get, challenge, lookup)\n"
                              "max-orders-per-hour: 20\nstate-directory: /var/lib/lacme-accountd\n");
}

BOOST_AUTO_TEST_CASE(defaults_order_only_no_ca_no_limit)
{
    const auto p = parse_signing_policy("[policy]\nlabel = a\nidentifiers = a.example\n", "p.conf");
    BOOST_TEST((p.operations == std::set<std::string, std::less<>>{"order"}));
    BOOST_TEST(!p.ca);
    BOOST_TEST(p.max_orders_per_hour == 0u);
    BOOST_TEST(describe(p).find("ca: (any)\n") != std::string::npos);
    BOOST_TEST(describe(p).find("max-orders-per-hour: no limit\n") != std::string::npos);
    BOOST_TEST(describe(p).find("wildcards: (none)\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_mistake_names_file_and_line)
{
    BOOST_TEST(error_of("[policy]\nlabel = a\nidentifer = x\n") ==
               "p.conf:3: unknown key 'identifer' in section [policy]");
    BOOST_TEST(error_of("[policy]\nlabel = a\n[other]\n").starts_with("p.conf:3: unknown section [other]"));
    BOOST_TEST(error_of("label = a\n").starts_with("p.conf:1:"));
    BOOST_TEST(error_of("[policy]\nlabel = a\nidentifiers = ok.example 10.0.0.0/40\n") ==
               "p.conf:3: invalid CIDR prefix in '10.0.0.0/40'");
    BOOST_TEST(error_of("[policy]\nlabel = a\nwildcards = *.ok.example example.org\n") ==
               "p.conf:3: invalid wildcard name 'example.org' (*.domain, as in the certificate)");
    BOOST_TEST(error_of("[policy]\nlabel = a\noperations = order delete\n") ==
               "p.conf:3: unknown operation 'delete' (order, revoke, account, deactivate, keychange)");
    BOOST_TEST(error_of("[policy]\nlabel = a\noperations =\n") == "p.conf:3: operations is empty");
    BOOST_TEST(error_of("[policy]\nlabel = a\nmax-orders-per-hour = -1\n") ==
               "p.conf:3: invalid max-orders-per-hour '-1' (0 to 3600)");
    BOOST_TEST(error_of("[policy]\nlabel = a\nmax-orders-per-hour = 5\n") ==
               "p.conf:3: max-orders-per-hour needs a state-directory");
    BOOST_TEST(error_of("[policy]\nlabel = a\nstate-directory = var/lib\n") ==
               "p.conf:3: state-directory is not an absolute path");
    BOOST_TEST(error_of("[policy]\nlabel = ../x\n") ==
               "p.conf:2: invalid label '../x' (letters, digits, '.', '_', '-')");
    BOOST_TEST(error_of("[policy]\nca = ftp://x/\nlabel = a\n") == "p.conf:2: ca is not an http(s) URL: 'ftp://x/'");
    BOOST_TEST(error_of("[policy]\nlabel = a\nca = https://ca.example\n") ==
               "p.conf:3: ca must end with '/': 'https://ca.example'");
    BOOST_TEST(error_of("[policy]\nidentifiers = a.example\n") == "p.conf: [policy] has no label");
    BOOST_TEST(error_of("") == "p.conf: no [policy] section");
    BOOST_TEST(error_of("[policy]\nlabel\n") == "p.conf:2: syntax error: 'label'");
}

BOOST_AUTO_TEST_CASE(read_from_a_file)
{
    const lacme::test::temp_dir dir;
    lacme::test::write_file(dir.file("p.conf"), "[policy]\nlabel = web2\n");
    BOOST_TEST(read_signing_policy(dir.file("p.conf")).label == "web2");
    BOOST_TEST(error_message([&] {
                   (void)read_signing_policy(dir.file("none"));
               }).starts_with("can't open " + dir.file("none")));
}

BOOST_AUTO_TEST_SUITE_END()
