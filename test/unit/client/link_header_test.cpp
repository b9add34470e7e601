// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/link_header.hpp"

#include <boost/test/unit_test.hpp>

using namespace lacme::client;

BOOST_AUTO_TEST_SUITE(link_header)

BOOST_AUTO_TEST_CASE(acme_alternate_and_index)
{
    const auto links =
        parse_link_header(R"(<https://ca.example/cert/1/1>;rel="alternate", <https://ca.example/dir>; rel=index)");
    BOOST_REQUIRE(links.size() == 2u);
    BOOST_TEST(links[0].target == "https://ca.example/cert/1/1");
    BOOST_TEST(links[0].rel == "alternate");
    BOOST_TEST(links[1].rel == "index");
}

BOOST_AUTO_TEST_CASE(several_header_values_and_relation_lists)
{
    const auto alts = links_with_rel(
        {R"(<https://a/1>;rel="alternate")", R"(<https://a/2>; rel="Alternate up")", R"(<https://a/3>;rel="up")"},
        "alternate");
    BOOST_REQUIRE(alts.size() == 2u);
    BOOST_TEST(alts[0] == "https://a/1");
    BOOST_TEST(alts[1] == "https://a/2");
}

BOOST_AUTO_TEST_CASE(quoted_commas_and_escapes)
{
    const auto links =
        parse_link_header(R"(<https://a/1>; title="x, \"y\""; rel="alternate", <https://a/2>;rel=alternate)");
    BOOST_REQUIRE(links.size() == 2u);
    BOOST_TEST(links[1].target == "https://a/2");
}

BOOST_AUTO_TEST_CASE(malformed_parts_are_skipped)
{
    BOOST_TEST(parse_link_header("").empty());
    BOOST_TEST(parse_link_header("garbage").empty());
    BOOST_TEST(parse_link_header("<https://unterminated").empty());
    const auto links = parse_link_header(R"(junk, <https://a/ok>;rel="alternate", <https://a/bad> junk;rel=alternate)");
    BOOST_REQUIRE(links.size() == 1u);
    BOOST_TEST(links[0].target == "https://a/ok");
    // Only the first rel parameter counts (RFC 8288 §3.3).
    const auto first = parse_link_header(R"(<https://a/x>;rel="up";rel="alternate")");
    BOOST_REQUIRE(first.size() == 1u);
    BOOST_TEST(first[0].rel == "up");
}

BOOST_AUTO_TEST_SUITE_END()
