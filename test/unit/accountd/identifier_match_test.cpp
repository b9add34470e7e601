// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/identifier_match.hpp"

#include "test/support/error_message.hpp"

#include <boost/test/unit_test.hpp>

using lacme::accountd::identifier;
using lacme::accountd::identifier_patterns;

namespace {

bool allows(std::string_view patterns, identifier id)
{
    return identifier_patterns::parse(patterns).allows(id);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(identifier_match)

BOOST_AUTO_TEST_CASE(exact_names_match_case_insensitively_and_nothing_else)
{
    BOOST_TEST(allows("example.org", {"dns", "example.org"}));
    BOOST_TEST(allows("Example.ORG", {"dns", "EXAMPLE.org"}));
    BOOST_TEST(!allows("example.org", {"dns", "www.example.org"}));
    BOOST_TEST(!allows("example.org", {"dns", "example.org.evil"}));
    BOOST_TEST(!allows("example.org", {"dns", "xexample.org"}));
    BOOST_TEST(!allows("example.org", {"ip", "example.org"}));
    BOOST_TEST(!allows("example.org", {"email", "example.org"}));
}

BOOST_AUTO_TEST_CASE(wildcard_suffix_matches_names_below_it_only)
{
    BOOST_TEST(allows("*.example.org", {"dns", "www.example.org"}));
    BOOST_TEST(allows("*.example.org", {"dns", "a.b.example.org"}));
    BOOST_TEST(allows("*.example.org", {"dns", "*.www.example.org"}));  // a wildcard certificate below it
    BOOST_TEST(allows("*.example.org", {"dns", "*.example.org"}));
    BOOST_TEST(!allows("*.example.org", {"dns", "example.org"}));
    BOOST_TEST(!allows("*.example.org", {"dns", "badexample.org"}));
    BOOST_TEST(!allows("*.example.org", {"dns", "www.example.org.evil"}));
    BOOST_TEST(!allows("example.org", {"dns", "*.example.org"}));
}

BOOST_AUTO_TEST_CASE(names_that_are_not_dns_names_are_never_allowed)
{
    BOOST_TEST(!allows("*.example.org", {"dns", "evil.com/.example.org"}));
    BOOST_TEST(!allows("*.example.org", {"dns", std::string("evil.com\0.example.org", 21)}));
    BOOST_TEST(!allows("*.example.org", {"dns", "a..example.org"}));
    BOOST_TEST(!allows("*.example.org", {"dns", ""}));
}

BOOST_AUTO_TEST_CASE(cidr_blocks_v4_and_v6)
{
    const auto p = identifier_patterns::parse("192.0.2.0/24 2001:db8::/32 198.51.100.7 10.0.0.0/9");
    BOOST_TEST(p.allows({"ip", "192.0.2.0"}));
    BOOST_TEST(p.allows({"ip", "192.0.2.255"}));
    BOOST_TEST(!p.allows({"ip", "192.0.3.1"}));
    BOOST_TEST(p.allows({"ip", "198.51.100.7"}));
    BOOST_TEST(!p.allows({"ip", "198.51.100.8"}));
    BOOST_TEST(p.allows({"ip", "10.127.255.255"}));
    BOOST_TEST(!p.allows({"ip", "10.128.0.0"}));
    BOOST_TEST(p.allows({"ip", "2001:db8:ffff::1"}));
    BOOST_TEST(p.allows({"ip", "2001:DB8::1"}));
    BOOST_TEST(!p.allows({"ip", "2001:db9::1"}));
    BOOST_TEST(!p.allows({"ip", "::ffff:192.0.2.1"}));  // IPv4-mapped is another family
    BOOST_TEST(!p.allows({"ip", "192.0.2.1/24"}));
    BOOST_TEST(!p.allows({"dns", "192.0.2.1"}));
    BOOST_TEST(identifier_patterns::parse("0.0.0.0/0").allows({"ip", "203.0.113.9"}));
}

BOOST_AUTO_TEST_CASE(bad_patterns_are_errors_naming_them)
{
    using lacme::test::error_message;
    BOOST_TEST(error_message([] { (void)identifier_patterns::parse("192.0.2.0/33"); }) ==
               "invalid CIDR prefix in '192.0.2.0/33'");
    BOOST_TEST(error_message([] { (void)identifier_patterns::parse("2001:db8::/129"); }) ==
               "invalid CIDR prefix in '2001:db8::/129'");
    BOOST_TEST(error_message([] { (void)identifier_patterns::parse("10.0.0.0/"); }) == "invalid CIDR prefix in '10.0.0.0/'");
    BOOST_TEST(error_message([] { (void)identifier_patterns::parse("ok.org bad*.org"); }).starts_with(
        "invalid identifier pattern 'bad*.org'"));
    BOOST_TEST(error_message([] { (void)identifier_patterns::parse("*."); }).starts_with("invalid identifier pattern"));
    BOOST_TEST(error_message([] { (void)identifier_patterns::parse("a/b"); }).starts_with("invalid identifier pattern"));
}

BOOST_AUTO_TEST_CASE(patterns_are_kept_for_display)
{
    const auto p = identifier_patterns::parse("  Example.org\t*.example.org  192.0.2.0/24 ");
    BOOST_TEST(p.text() == (std::vector<std::string>{"example.org", "*.example.org", "192.0.2.0/24"}),
               boost::test_tools::per_element());
    BOOST_TEST(!p.empty());
    BOOST_TEST(identifier_patterns::parse("").empty());
    BOOST_TEST(!identifier_patterns::parse("").allows({"dns", "example.org"}));
}

// Issue 19, finding 8: ::ffff:10.1.2.3 matched an IPv6 policy and the CA ordered IPv4 10.1.2.3.
BOOST_AUTO_TEST_CASE(ipv6_forms_of_ipv4_addresses_are_never_allowed)
{
    const auto p = identifier_patterns::parse("::/0 0.0.0.0/0");
    BOOST_TEST(p.allows({"ip", "2001:db8::1"}));
    BOOST_TEST(p.allows({"ip", "10.1.2.3"}));
    for (const char* embedded : {"::ffff:10.1.2.3", "::FFFF:a01:203", "0:0:0:0:0:ffff:10.1.2.3", "::10.1.2.3", "::a01:203"})
        BOOST_TEST(!p.allows({"ip", embedded}), embedded);
}

BOOST_AUTO_TEST_SUITE_END()
