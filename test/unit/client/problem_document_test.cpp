// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/problem_document.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace lacme::client;

BOOST_AUTO_TEST_SUITE(problem_document_parsing)

BOOST_AUTO_TEST_CASE(acme_problem_one_line)
{
    const auto p = parse_problem_document(
        R"({"type":"urn:ietf:params:acme:error:unauthorized","detail":"Account is not valid","status":403})");
    BOOST_REQUIRE(p);
    BOOST_TEST(p->is("unauthorized"));
    BOOST_TEST(!p->is("badNonce"));
    BOOST_TEST(p->short_type() == "unauthorized");
    BOOST_TEST(*p->status == 403);
    BOOST_TEST(p->one_line() == "unauthorized: Account is not valid");
}

BOOST_AUTO_TEST_CASE(subproblems_are_listed_and_bounded)
{
    std::string body = R"({"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"some names",
        "subproblems":[)";
    for (int i = 0; i < 8; ++i)
        body += std::string(i ? "," : "") + R"({"type":"urn:ietf:params:acme:error:rejectedIdentifier",
            "detail":"forbidden","identifier":{"type":"dns","value":"n)" +
                std::to_string(i) + R"(.example"}})";
    body += "]}";
    const auto p = parse_problem_document(body);
    BOOST_REQUIRE(p);
    const std::string line = p->one_line();
    BOOST_TEST(line.find("dns:n0.example: rejectedIdentifier: forbidden") != std::string::npos);
    BOOST_TEST(line.find("n4.example") != std::string::npos);
    BOOST_TEST(line.find("n5.example") == std::string::npos);
    BOOST_TEST(line.find("...") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(badnonce_prefix_must_match_exactly)
{
    BOOST_TEST(parse_problem_document(R"({"type":"urn:ietf:params:acme:error:badNonce"})")->is("badNonce"));
    BOOST_TEST(!parse_problem_document(R"({"type":"urn:ietf:params:acme:error:xbadNonce"})")->is("badNonce"));
    BOOST_TEST(!parse_problem_document(R"({"type":"badNonce"})")->is("badNonce"));
}

BOOST_AUTO_TEST_CASE(junk_is_not_a_problem_document)
{
    BOOST_TEST(!parse_problem_document("<html>502</html>"));
    BOOST_TEST(!parse_problem_document(R"(["urn:ietf:params:acme:error:badNonce"])"));
    BOOST_TEST(!parse_problem_document(""));
    // Wrong member types are ignored, not fatal.
    const auto p = parse_problem_document(R"({"type":42,"detail":["x"],"status":"403","subproblems":"no"})");
    BOOST_REQUIRE(p);
    BOOST_TEST(p->type == "about:blank");
    BOOST_TEST(p->detail.empty());
    BOOST_TEST(!p->status);
}

BOOST_AUTO_TEST_CASE(control_characters_never_reach_the_terminal)
{
    const auto p = parse_problem_document(
        R"({"type":"urn:ietf:params:acme:error:malformed","detail":"line1\nline2\u001b[31mred"})");
    BOOST_REQUIRE(p);
    const std::string line = p->one_line();
    BOOST_TEST(line.find('\n') == std::string::npos);
    BOOST_TEST(line.find('\x1b') == std::string::npos);
    BOOST_TEST(line == R"(malformed: line1\x0aline2\x1b[31mred)");
}

// Found by fuzz_problem_document: a status beyond int's range wrapped around (4294967696 read as 400).
BOOST_AUTO_TEST_CASE(a_status_out_of_range_is_no_status)
{
    for (const char* status : {"4294967696", "-4294966896", "18446744073709551615", "2147483648"})
        BOOST_TEST(!parse_problem_document(std::string(R"({"status":)") + status + "}")->status, status);
    BOOST_TEST(*parse_problem_document(R"({"status":2147483647})")->status == 2147483647);
    BOOST_TEST(*parse_problem_document(R"({"status":-2147483648})")->status == -2147483648);
}

BOOST_AUTO_TEST_SUITE_END()
