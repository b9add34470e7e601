// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/order_batch_protocol.hpp"

#include "common/error.hpp"
#include "test/support/error_message.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using lacme::format_order_batch_answer;
using lacme::format_order_batch_request;
using lacme::order_batch_answer;
using lacme::order_batch_request;
using lacme::parse_order_batch_answer;
using lacme::parse_order_batch_request;
using lacme::test::error_message;

namespace {

order_batch_request sample_request()
{
    return {"www",
            {"example.org", "www.example.org"},
            std::string("\x30\x82\x01\x00\xff", 5),
            "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE",
            "ISRG Root X1"};
}

// Without its line end, as the reading side hands it over.
std::string line_of(std::string framed)
{
    BOOST_REQUIRE(!framed.empty() && framed.back() == '\n');
    framed.pop_back();
    BOOST_TEST(framed.find('\n') == std::string::npos);
    return framed;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(order_batch_protocol)

BOOST_AUTO_TEST_CASE(requests_round_trip_as_one_line)
{
    const order_batch_request request = sample_request();
    const std::string line = line_of(format_order_batch_request(request));
    BOOST_TEST(line.find("\"csr\":\"MIIBAP8\"") != std::string::npos);  // base64url of the DER
    BOOST_TEST((parse_order_batch_request(line) == request));

    order_batch_request plain = request;
    plain.replaces.clear();
    plain.preferred_chain.reset();
    const std::string plain_line = line_of(format_order_batch_request(plain));
    BOOST_TEST(plain_line.find("replaces") == std::string::npos);
    BOOST_TEST(plain_line.find("preferred-chain") == std::string::npos);
    BOOST_TEST((parse_order_batch_request(plain_line) == plain));
}

BOOST_AUTO_TEST_CASE(requests_that_break_the_framing_are_refused)
{
    const auto refused = [](const std::string& line) {
        return error_message([&] { (void)parse_order_batch_request(line); });
    };
    BOOST_TEST(refused("").find("not a JSON object") != std::string::npos);
    BOOST_TEST(refused("[]").find("not a JSON object") != std::string::npos);
    BOOST_TEST(refused(R"({"identifiers":["a"],"csr":"MA"})").find("section") != std::string::npos);
    BOOST_TEST(refused(R"({"section":"","identifiers":["a"],"csr":"MA"})").find("section") != std::string::npos);
    BOOST_TEST(refused(R"({"section":"a\nb","identifiers":["a"],"csr":"MA"})").find("section") != std::string::npos);
    BOOST_TEST(refused(R"({"section":"s","identifiers":[],"csr":"MA"})").find("identifiers") != std::string::npos);
    BOOST_TEST(refused(R"({"section":"s","identifiers":[1],"csr":"MA"})").find("identifier") != std::string::npos);
    BOOST_TEST(refused(R"({"section":"s","identifiers":["a"]})").find("csr") != std::string::npos);
    BOOST_TEST(refused(R"({"section":"s","identifiers":["a"],"csr":"M+A"})").find("csr") != std::string::npos);
    BOOST_TEST(refused(R"({"section":"s","identifiers":["a"],"csr":"MA","replaces":1})").find("replaces") !=
               std::string::npos);
    BOOST_TEST(
        refused(R"({"section":"s","identifiers":["a"],"csr":"MA","preferred-chain":null})").find("preferred-chain") !=
        std::string::npos);
    BOOST_TEST(refused(R"({"section":"s","identifiers":["a"],"csr":"MA","challenge":"dns-01"})").find("unknown") !=
               std::string::npos);
    BOOST_TEST(refused(std::string(lacme::order_batch_max_line + 1, ' ')).find("longer") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(requests_the_client_would_refuse_are_not_sent)
{
    order_batch_request no_names = sample_request();
    no_names.identifiers.clear();
    BOOST_CHECK_THROW((void)format_order_batch_request(no_names), lacme::error);
    order_batch_request no_csr = sample_request();
    no_csr.csr_der.clear();
    BOOST_CHECK_THROW((void)format_order_batch_request(no_csr), lacme::error);
    order_batch_request not_utf8 = sample_request();
    not_utf8.section = "caf\xe9";
    BOOST_CHECK_THROW((void)format_order_batch_request(not_utf8), lacme::error);
}

BOOST_AUTO_TEST_CASE(answers_round_trip_as_one_line)
{
    const order_batch_answer chain{"www", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", {}};
    BOOST_TEST((parse_order_batch_answer(line_of(format_order_batch_answer(chain))) == chain));
    const order_batch_answer failure{"www", std::nullopt, "newOrder: HTTP 400 rejectedIdentifier"};
    BOOST_TEST((parse_order_batch_answer(line_of(format_order_batch_answer(failure))) == failure));
}

BOOST_AUTO_TEST_CASE(an_error_is_sent_as_one_printable_line)
{
    const order_batch_answer multi{"www", std::nullopt, "first\nsecond\x1b[31m"};
    const auto parsed = parse_order_batch_answer(line_of(format_order_batch_answer(multi)));
    BOOST_TEST(parsed.error.find('\n') == std::string::npos);
    BOOST_TEST(parsed.error.find('\x1b') == std::string::npos);
    BOOST_TEST(parsed.error.find("second") != std::string::npos);
    BOOST_TEST(parse_order_batch_answer(line_of(format_order_batch_answer({"www", std::nullopt, ""}))).error ==
               "failed");
}

BOOST_AUTO_TEST_CASE(answers_that_break_the_framing_are_refused)
{
    const auto refused = [](const std::string& line) {
        return error_message([&] { (void)parse_order_batch_answer(line); });
    };
    BOOST_TEST(refused("PEM").find("not a JSON object") != std::string::npos);
    BOOST_TEST(refused(R"({"chain":"x"})").find("section") != std::string::npos);
    BOOST_TEST(refused(R"({"section":"s"})").find("exactly one") != std::string::npos);
    BOOST_TEST(refused(R"({"section":"s","chain":"x","error":"y"})").find("exactly one") != std::string::npos);
    BOOST_TEST(refused(R"({"section":"s","chain":""})").find("exactly one") != std::string::npos);
    BOOST_TEST(refused(R"({"section":"s","chain":1})").find("exactly one") != std::string::npos);
    BOOST_TEST(refused(R"({"section":"s","error":"a\nb"})").find("printable") != std::string::npos);
    BOOST_TEST(refused(R"({"section":"s","error":""})").find("printable") != std::string::npos);
    BOOST_TEST(refused(R"({"section":"s","error":"x","extra":1})").find("unknown") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
