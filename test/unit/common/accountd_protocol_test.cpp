// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/accountd_protocol.hpp"

#include "common/base64url.hpp"
#include "test/support/error_message.hpp"
#include "test/support/printers.hpp"

#include <boost/test/unit_test.hpp>

using lacme::accountd_greeting;
using lacme::base64url_encode;
using lacme::check_signing_input;
using lacme::format_accountd_greeting;
using lacme::parse_accountd_greeting;
using lacme::signing_input_check;
using lacme::signing_input_verdict;
using lacme::signing_key_identity;
using lacme::test::error_message;
using json = nlohmann::json;

namespace {

const json example_jwk = {{"kty", "EC"},
                          {"crv", "P-256"},
                          {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                          {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}};

const signing_key_identity example_key{"ES256", example_jwk};

json valid_header()
{
    return {{"alg", "ES256"},
            {"nonce", "6S8IqOGY7eL2lsGoTZYifg"},
            {"url", "https://acme.example/acme/new-order"},
            {"jwk", example_jwk}};
}

std::string raw_signing_input(const std::string& header_text, const std::string& payload_text)
{
    return base64url_encode(header_text) + "." + base64url_encode(payload_text);
}

std::string signing_input(const json& header, const std::string& payload = R"({"identifiers":[]})")
{
    return raw_signing_input(header.dump(), payload);
}

signing_input_check check(std::string_view line)
{
    return check_signing_input(line, example_key);
}
signing_input_verdict verdict_of(std::string_view line)
{
    return check(line).verdict;
}

// Splits the two CRLF-terminated greeting lines.
std::pair<std::string, std::string> greeting_lines(const std::string& greeting)
{
    const auto first = greeting.find("\r\n");
    BOOST_REQUIRE(first != std::string::npos);
    const auto second = greeting.find("\r\n", first + 2);
    BOOST_REQUIRE(second != std::string::npos);
    BOOST_REQUIRE(second + 2 == greeting.size());
    return {greeting.substr(0, first), greeting.substr(first + 2, second - first - 2)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(signing_input_validation)

BOOST_AUTO_TEST_CASE(valid_input_with_jwk_is_accepted_and_decoded)
{
    const std::string payload = R"({"identifiers":[{"type":"dns","value":"example.org"}]})";
    const auto result = check(signing_input(valid_header(), payload));
    BOOST_TEST(result.verdict == signing_input_verdict::ok);
    BOOST_TEST(result.header == valid_header().dump());
    BOOST_TEST(result.payload == payload);
}

BOOST_AUTO_TEST_CASE(kid_without_jwk_is_accepted)
{
    json header = valid_header();
    header.erase("jwk");
    header["kid"] = "https://acme.example/acme/acct/1";
    BOOST_TEST(verdict_of(signing_input(header)) == signing_input_verdict::ok);
    header["jwk"] = nullptr;  // a null jwk next to a kid is fine
    BOOST_TEST(verdict_of(signing_input(header)) == signing_input_verdict::ok);
}

BOOST_AUTO_TEST_CASE(missing_required_member_is_invalid)
{
    for (const char* member : {"alg", "nonce", "url"}) {
        BOOST_TEST_CONTEXT("without " << member)
        {
            json header = valid_header();
            header.erase(member);
            const auto result = check(signing_input(header));
            BOOST_TEST(result.verdict == signing_input_verdict::invalid_header);
            BOOST_TEST(result.header == header.dump());  // decoded anyway, for the NOSIGN log
        }
    }
}

BOOST_AUTO_TEST_CASE(jwk_and_kid_both_absent_is_invalid)
{
    json header = valid_header();
    header.erase("jwk");
    BOOST_TEST(verdict_of(signing_input(header)) == signing_input_verdict::invalid_header);
}

BOOST_AUTO_TEST_CASE(null_values_count_as_absent)
{
    for (const char* member : {"alg", "nonce", "url", "jwk"}) {
        BOOST_TEST_CONTEXT(member << " = null")
        {
            json header = valid_header();
            header[member] = nullptr;
            BOOST_TEST(verdict_of(signing_input(header)) == signing_input_verdict::invalid_header);
        }
    }
    json header = valid_header();
    header.erase("jwk");
    header["kid"] = nullptr;
    BOOST_TEST(verdict_of(signing_input(header)) == signing_input_verdict::invalid_header);
}

BOOST_AUTO_TEST_CASE(bad_base64url_in_header_is_malformed_header)
{
    const std::string payload = base64url_encode(std::string_view("{}"));
    const std::string header = base64url_encode(valid_header().dump());
    BOOST_TEST(verdict_of(header + "=." + payload) == signing_input_verdict::malformed_header);  // padding
    BOOST_TEST(verdict_of("eyJh+GciOi/." + payload) == signing_input_verdict::malformed_header);  // base64 alphabet
    BOOST_TEST(verdict_of("eyJ hbGc." + payload) == signing_input_verdict::malformed_header);
    BOOST_TEST(verdict_of("e." + payload) == signing_input_verdict::malformed_header);  // impossible length
}

BOOST_AUTO_TEST_CASE(bad_base64url_in_payload_is_malformed_payload)
{
    const std::string header = base64url_encode(valid_header().dump());
    BOOST_TEST(verdict_of(header + ".e30=") == signing_input_verdict::malformed_payload);
    BOOST_TEST(verdict_of(header + ".e3+/") == signing_input_verdict::malformed_payload);
    BOOST_TEST(verdict_of(header + ".e30.c2ln") == signing_input_verdict::malformed_payload);  // a whole JWS
    BOOST_TEST(verdict_of(header + ".e30\r") == signing_input_verdict::malformed_payload);
}

BOOST_AUTO_TEST_CASE(header_that_is_not_a_json_object_is_invalid)
{
    BOOST_TEST(verdict_of(raw_signing_input(R"(["alg","nonce","url","jwk"])", "{}")) ==
               signing_input_verdict::invalid_header);
    BOOST_TEST(verdict_of(raw_signing_input(R"("a string")", "{}")) == signing_input_verdict::invalid_header);
    BOOST_TEST(verdict_of(raw_signing_input("42", "{}")) == signing_input_verdict::invalid_header);
    BOOST_TEST(verdict_of(raw_signing_input("null", "{}")) == signing_input_verdict::invalid_header);
    BOOST_TEST(verdict_of(raw_signing_input(R"({"alg":"ES256",)", "{}")) == signing_input_verdict::invalid_header);
    BOOST_TEST(verdict_of(raw_signing_input("not json at all", "{}")) == signing_input_verdict::invalid_header);
}

BOOST_AUTO_TEST_CASE(empty_payload_is_allowed_for_post_as_get)
{
    const std::string line = base64url_encode(valid_header().dump()) + ".";
    const auto result = check(line);
    BOOST_TEST(result.verdict == signing_input_verdict::ok);
    BOOST_TEST(result.payload.empty());
}

BOOST_AUTO_TEST_CASE(empty_header_missing_dot_and_empty_line_are_malformed)
{
    BOOST_TEST(verdict_of(".e30") == signing_input_verdict::malformed_header);
    BOOST_TEST(verdict_of(".") == signing_input_verdict::malformed_header);
    BOOST_TEST(verdict_of("") == signing_input_verdict::malformed_header);
    BOOST_TEST(verdict_of(base64url_encode(valid_header().dump())) == signing_input_verdict::malformed_header);
}

BOOST_AUTO_TEST_CASE(alg_other_than_the_keys_is_refused)
{
    for (const json& alg : {json("RS256"), json("ES384"), json("es256"), json("none"), json("ES256 "), json(256),
                            json::array({"ES256"})}) {
        BOOST_TEST_CONTEXT("alg " << alg.dump())
        {
            json header = valid_header();
            header["alg"] = alg;
            const auto result = check(signing_input(header));
            BOOST_TEST(result.verdict == signing_input_verdict::wrong_algorithm);
            BOOST_TEST(result.header == header.dump());  // decoded, for the NOSIGN log
        }
    }
}

BOOST_AUTO_TEST_CASE(jwk_must_be_the_keys_own_in_any_member_order)
{
    // Perl's client re-encodes the greeting's JWK without sorting: member order is irrelevant.
    json header = valid_header();
    const std::string reordered =
        R"({"y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","kty":"EC","crv":"P-256"})";
    const std::string text = R"({"alg":"ES256","nonce":"n","url":"u","jwk":)" + reordered + "}";
    BOOST_TEST(verdict_of(raw_signing_input(text, "{}")) == signing_input_verdict::ok);

    json other = example_jwk;
    other["x"] = "AAAA";
    json with_extra = example_jwk;
    with_extra["use"] = "sig";
    for (const json& jwk : {other, with_extra, json::object(), json("a string"), json::array()}) {
        BOOST_TEST_CONTEXT("jwk " << jwk.dump())
        {
            header["jwk"] = jwk;
            BOOST_TEST(verdict_of(signing_input(header)) == signing_input_verdict::foreign_jwk);
            header["kid"] = "https://acme.example/acme/acct/1";  // a kid does not excuse a foreign jwk
            BOOST_TEST(verdict_of(signing_input(header)) == signing_input_verdict::foreign_jwk);
            header.erase("kid");
        }
    }
}

BOOST_AUTO_TEST_CASE(kid_must_be_a_string)
{
    json header = valid_header();
    header.erase("jwk");
    for (const json& kid : {json(1), json::object(), json::array({"https://acme.example/acme/acct/1"}), json(true)}) {
        BOOST_TEST_CONTEXT("kid " << kid.dump())
        {
            header["kid"] = kid;
            BOOST_TEST(verdict_of(signing_input(header)) == signing_input_verdict::kid_not_string);
        }
    }
    header["kid"] = "";
    BOOST_TEST(verdict_of(signing_input(header)) == signing_input_verdict::ok);
}

BOOST_AUTO_TEST_CASE(verdict_descriptions_match_lacme)
{
    BOOST_TEST(lacme::describe(signing_input_verdict::ok) == "valid");
    BOOST_TEST(lacme::describe(signing_input_verdict::malformed_header) == "malformed JWS Protected Header");
    BOOST_TEST(lacme::describe(signing_input_verdict::malformed_payload) == "malformed JWS Payload");
    BOOST_TEST(lacme::describe(signing_input_verdict::invalid_header) == "invalid JWS Protected Header");
    BOOST_TEST(lacme::describe(signing_input_verdict::wrong_algorithm) == "JWS alg is not the account key's");
    BOOST_TEST(lacme::describe(signing_input_verdict::foreign_jwk) == "JWS jwk is not the account key");
    BOOST_TEST(lacme::describe(signing_input_verdict::kid_not_string) == "JWS kid is not a string");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(accountd_greeting_format)

BOOST_AUTO_TEST_CASE(format_without_kid_sends_the_canonical_jwk)
{
    accountd_greeting g;
    g.alg = "ES256";
    g.jwk_thumbprint = "thumb";
    g.jwk = example_jwk;
    BOOST_TEST(format_accountd_greeting(g) ==
               "1 OK {\"alg\":\"ES256\",\"jwk-thumbprint\":\"thumb\"}\r\n"
               "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
               "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}\r\n");
}

BOOST_AUTO_TEST_CASE(format_with_kid_sends_an_empty_jwk)
{
    accountd_greeting g;
    g.alg = "RS256";
    g.jwk_thumbprint = "thumb";
    g.kid = "https://acme.example/acct/7";
    g.jwk = example_jwk;
    BOOST_TEST(format_accountd_greeting(g) ==
               "1 OK {\"alg\":\"RS256\",\"jwk-thumbprint\":\"thumb\",\"kid\":\"https://acme.example/acct/7\"}\r\n"
               "{}\r\n");
}

BOOST_AUTO_TEST_CASE(parse_round_trips_format)
{
    accountd_greeting g;
    g.alg = "ES384";
    g.jwk_thumbprint = "abc-_";
    g.jwk = example_jwk;
    const auto [first, second] = greeting_lines(format_accountd_greeting(g));
    const auto parsed = parse_accountd_greeting(first, second);
    BOOST_TEST(parsed.alg == "ES384");
    BOOST_TEST(parsed.jwk_thumbprint == "abc-_");
    BOOST_TEST(!parsed.kid);
    BOOST_TEST(parsed.jwk == example_jwk);
}

BOOST_AUTO_TEST_CASE(parse_round_trips_format_with_kid)
{
    accountd_greeting g;
    g.alg = "ES256";
    g.jwk_thumbprint = "t";
    g.kid = "https://acme.example/acct/7";
    g.jwk = example_jwk;
    const auto [first, second] = greeting_lines(format_accountd_greeting(g));
    BOOST_TEST(second == "{}");
    const auto parsed = parse_accountd_greeting(first, second);
    BOOST_TEST(parsed.alg == "ES256");
    BOOST_TEST(parsed.kid.value_or("") == "https://acme.example/acct/7");
    BOOST_TEST(parsed.jwk == json::object());
}

BOOST_AUTO_TEST_CASE(parse_accepts_any_member_order_and_defaults_alg_to_rs256)
{
    // Perl's accountd does not sort the greeting's members.
    const auto parsed = parse_accountd_greeting(R"(1 OK {"jwk-thumbprint":"t","alg":"ES256"})", example_jwk.dump());
    BOOST_TEST(parsed.alg == "ES256");
    BOOST_TEST(parsed.jwk_thumbprint == "t");
    // Old daemons send no extra data at all.
    const auto old = parse_accountd_greeting("1 OK", R"({"e":"AQAB","kty":"RSA","n":"xyz"})");
    BOOST_TEST(old.alg == "RS256");
    BOOST_TEST(old.jwk["kty"] == "RSA");
    // An empty kid is no kid.
    BOOST_TEST(!parse_accountd_greeting(R"(1 OK {"alg":"ES256","kid":""})", "{}").kid);
}

BOOST_AUTO_TEST_CASE(parse_rejects_other_protocol_versions_and_malformed_lines)
{
    const std::string jwk = example_jwk.dump();
    const std::string version_error = "invalid greeting from lacme-accountd (unsupported protocol version?)";
    BOOST_TEST(error_message([&] { (void)parse_accountd_greeting(R"(2 OK {"alg":"ES256"})", jwk); }) == version_error);
    BOOST_TEST(error_message([&] { (void)parse_accountd_greeting(R"(0 OK {"alg":"ES256"})", jwk); }) == version_error);
    BOOST_TEST(error_message([&] { (void)parse_accountd_greeting(R"(1 OKAY {"alg":"ES256"})", jwk); }) ==
               version_error);
    BOOST_TEST(error_message([&] { (void)parse_accountd_greeting("", jwk); }) == version_error);
    BOOST_TEST(error_message([&] { (void)parse_accountd_greeting("1 OK [1,2]", jwk); }) ==
               "invalid greeting data from lacme-accountd");
    BOOST_TEST(error_message([&] { (void)parse_accountd_greeting("1 OK {broken", jwk); }) ==
               "invalid greeting data from lacme-accountd");
    BOOST_TEST(error_message([&] { (void)parse_accountd_greeting(R"(1 OK {"alg":"ES256"})", "[]"); }) ==
               "invalid JWK from lacme-accountd");
    BOOST_TEST(error_message([&] { (void)parse_accountd_greeting(R"(1 OK {"alg":"ES256"})", "{"); }) ==
               "invalid JWK from lacme-accountd");
}

BOOST_AUTO_TEST_CASE(refusal_error_names_the_printable_reason_of_a_nosign_answer_only)
{
    BOOST_TEST(lacme::accountd_refusal_error("NOSIGN operation deactivate not allowed\x1b[2J").value_or("") ==
               "lacme-accountd refused to sign: operation deactivate not allowed\\x1b[2J");
    BOOST_TEST(!lacme::accountd_refusal_error("c2lnbmF0dXJl"));
    BOOST_TEST(!lacme::accountd_refusal_error("NOSIGNATURE"));
}

BOOST_AUTO_TEST_SUITE_END()
