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

bool allows_wildcard(std::string_view patterns, std::string_view wildcards, const std::string& name)
{
    auto p = identifier_patterns::parse(patterns);
    p.allow_wildcards(wildcards);
    return p.allows({"dns", name});
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
    BOOST_TEST(!allows("*.example.org", {"dns", "example.org"}));
    BOOST_TEST(!allows("*.example.org", {"dns", "badexample.org"}));
    BOOST_TEST(!allows("*.example.org", {"dns", "www.example.org.evil"}));
    BOOST_TEST(!allows("example.org", {"dns", "*.example.org"}));
}

// Issue 25: a wildcard certificate is more than every name below the suffix (it covers names not
// yet created, and a conforming CA validates it by dns-01 only): it takes its own entry.
BOOST_AUTO_TEST_CASE(wildcard_identifiers_only_by_their_own_wildcards_entry)
{
    BOOST_TEST(!allows("*.example.org", {"dns", "*.example.org"}));
    BOOST_TEST(!allows("*.example.org", {"dns", "*.www.example.org"}));
    BOOST_TEST(!allows("example.org", {"dns", "*.example.org"}));
    BOOST_TEST(allows_wildcard("", "*.example.org", "*.example.org"));
    BOOST_TEST(allows_wildcard("", "*.Example.ORG", "*.EXAMPLE.org"));
    BOOST_TEST(allows_wildcard("*.example.org", "*.www.example.org", "*.www.example.org"));
    // Exactly the listed name: neither one below nor the suffix's names.
    BOOST_TEST(!allows_wildcard("", "*.example.org", "*.www.example.org"));
    BOOST_TEST(!allows_wildcard("", "*.www.example.org", "*.example.org"));
    BOOST_TEST(!allows_wildcard("", "*.example.org", "www.example.org"));
    BOOST_TEST(!allows_wildcard("", "*.example.org", "example.org"));
    BOOST_TEST(allows_wildcard("*.example.org", "*.example.org", "www.example.org"));
    BOOST_TEST(!identifier_patterns::parse("").allows({"ip", "*.example.org"}));
}

// Anything a CA's parser could read as another wildcard than the one listed, or as a wildcard
// the RFC does not define, is refused whatever the policy.
BOOST_AUTO_TEST_CASE(wildcard_lookalikes_are_refused)
{
    const auto all = [](const std::string& name) {
        return allows_wildcard("*.example.org example.org", "*.example.org *.www.example.org", name);
    };
    for (const std::string& name : std::initializer_list<std::string>{"*.example.org.",
                                                                      "*.EXAMPLE.org.",
                                                                      "*.*.example.org",
                                                                      "*example.org",
                                                                      "x*.example.org",
                                                                      "*x.example.org",
                                                                      "www.*.example.org",
                                                                      "*..example.org",
                                                                      "*.",
                                                                      "*",
                                                                      "**.example.org",
                                                                      "* .example.org",
                                                                      "*.example.org ",
                                                                      "\\*.example.org",
                                                                      "*\\.example.org",
                                                                      "*%2e.example.org",
                                                                      "*.example\xc2\xa0.org",
                                                                      "*.xn--exmple-cua.org.",
                                                                      "\xef\xbc\x8a.example.org",
                                                                      "*\xe3\x80\x82"
                                                                      "example.org",
                                                                      std::string("*.example.org\0", 14)})
        BOOST_TEST(!all(name), name);
    BOOST_TEST(all("*.example.org"));
    BOOST_TEST(all("*.Www.Example.Org"));
}

BOOST_AUTO_TEST_CASE(bad_wildcard_entries_are_errors_naming_them)
{
    using lacme::test::error_message;
    for (const char* bad : {"example.org", "*.example.org.", "*.*.example.org", "*example.org", "x*.example.org", "*.",
                            "192.0.2.0/24", "*.a..b"}) {
        auto p = identifier_patterns::parse("");
        BOOST_TEST(error_message([&p, bad] { p.allow_wildcards(bad); }).starts_with("invalid wildcard name '"), bad);
    }
    auto p = identifier_patterns::parse("");
    p.allow_wildcards("  *.A.example.org\t*.b.example.org ");
    BOOST_TEST(p.wildcards() == (std::vector<std::string>{"*.a.example.org", "*.b.example.org"}),
               boost::test_tools::per_element());
    BOOST_TEST(!p.empty());
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
    BOOST_TEST(error_message([] { (void)identifier_patterns::parse("10.0.0.0/"); }) ==
               "invalid CIDR prefix in '10.0.0.0/'");
    BOOST_TEST(error_message([] {
                   (void)identifier_patterns::parse("ok.org bad*.org");
               }).starts_with("invalid identifier pattern 'bad*.org'"));
    BOOST_TEST(error_message([] { (void)identifier_patterns::parse("*."); }).starts_with("invalid identifier pattern"));
    BOOST_TEST(
        error_message([] { (void)identifier_patterns::parse("a/b"); }).starts_with("invalid identifier pattern"));
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
    for (const char* embedded :
         {"::ffff:10.1.2.3", "::FFFF:a01:203", "0:0:0:0:0:ffff:10.1.2.3", "::10.1.2.3", "::a01:203"})
        BOOST_TEST(!p.allows({"ip", embedded}), embedded);
}

BOOST_AUTO_TEST_SUITE_END()
