// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/jwk.hpp"

#include "common/base64url.hpp"
#include "test/support/error_message.hpp"
#include "test/support/printers.hpp"
#include "test/support/test_keys.hpp"

#include <boost/test/unit_test.hpp>

#include <openssl/core_names.h>

#include <set>

using lacme::account_public_key_from;
using lacme::base64url_decode;
using lacme::base64url_encode;
using lacme::canonical_json;
using lacme::jwk_thumbprint;
using lacme::jws_algorithm;
using lacme::test::error_message;

namespace {

// RFC 7638 §3.1.
const std::string rfc7638_n =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknj"
    "hMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQ"
    "vRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-"
    "kEgU8awapJzKnqDKgw";
const std::string rfc7638_thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

std::vector<std::uint8_t> bytes_of(const std::string& s)
{
    return {s.begin(), s.end()};
}

std::vector<std::uint8_t> decoded(const nlohmann::json& member)
{
    const auto text = base64url_decode(member.get<std::string>());
    BOOST_REQUIRE(text);
    return bytes_of(*text);
}

std::set<std::string> member_names(const nlohmann::json& object)
{
    std::set<std::string> names;
    for (const auto& item : object.items())
        names.insert(item.key());
    return names;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(jwk)

BOOST_AUTO_TEST_CASE(rfc7638_thumbprint_test_vector)
{
    const nlohmann::json key = {{"kty", "RSA"}, {"n", rfc7638_n}, {"e", "AQAB"}};
    BOOST_TEST(canonical_json(key) == R"({"e":"AQAB","kty":"RSA","n":")" + rfc7638_n + R"("})");
    BOOST_TEST(jwk_thumbprint(key) == rfc7638_thumbprint);
}

BOOST_AUTO_TEST_CASE(rsa_jwk_from_bytes_matches_rfc7638_vector_and_strips_leading_zeros)
{
    auto modulus = decoded(rfc7638_n);
    const std::vector<std::uint8_t> exponent = {0x01, 0x00, 0x01};
    BOOST_TEST(jwk_thumbprint(lacme::rsa_jwk(modulus, exponent)) == rfc7638_thumbprint);
    // A sign byte in front of the modulus (as some encoders emit) must not change the JWK.
    modulus.insert(modulus.begin(), 0x00);
    const std::vector<std::uint8_t> padded_exponent = {0x00, 0x00, 0x01, 0x00, 0x01};
    const auto jwk = lacme::rsa_jwk(modulus, padded_exponent);
    BOOST_TEST(jwk["n"] == rfc7638_n);
    BOOST_TEST(jwk["e"] == "AQAB");
    BOOST_TEST(jwk_thumbprint(jwk) == rfc7638_thumbprint);
}

BOOST_AUTO_TEST_CASE(canonical_json_sorts_members_without_whitespace)
{
    nlohmann::json value = nlohmann::json::object();
    value["y"] = "2";
    value["kty"] = "EC";
    value["x"] = "1";
    value["crv"] = "P-256";
    BOOST_TEST(canonical_json(value) == R"({"crv":"P-256","kty":"EC","x":"1","y":"2"})");
    BOOST_TEST(canonical_json(nlohmann::json::object()) == "{}");
}

BOOST_AUTO_TEST_CASE(algorithm_properties)
{
    BOOST_TEST(lacme::jws_algorithm_name(jws_algorithm::rs256) == "RS256");
    BOOST_TEST(lacme::jws_algorithm_name(jws_algorithm::es256) == "ES256");
    BOOST_TEST(lacme::jws_algorithm_name(jws_algorithm::es384) == "ES384");
    BOOST_TEST(EVP_MD_get_type(lacme::jws_algorithm_digest(jws_algorithm::rs256)) == NID_sha256);
    BOOST_TEST(EVP_MD_get_type(lacme::jws_algorithm_digest(jws_algorithm::es256)) == NID_sha256);
    BOOST_TEST(EVP_MD_get_type(lacme::jws_algorithm_digest(jws_algorithm::es384)) == NID_sha384);
    BOOST_TEST(lacme::jws_ecdsa_signature_size(jws_algorithm::rs256) == 0u);
    BOOST_TEST(lacme::jws_ecdsa_signature_size(jws_algorithm::es256) == 64u);
    BOOST_TEST(lacme::jws_ecdsa_signature_size(jws_algorithm::es384) == 96u);
}

BOOST_AUTO_TEST_CASE(rsa_2048_account_key)
{
    EVP_PKEY* key = lacme::test::shared_rsa2048();
    const auto pub = account_public_key_from(key);
    BOOST_TEST(pub.alg == jws_algorithm::rs256);
    BOOST_TEST(member_names(pub.jwk) == (std::set<std::string>{"e", "kty", "n"}));
    BOOST_TEST(pub.jwk["kty"] == "RSA");
    BOOST_TEST(pub.jwk["e"] == "AQAB");
    const auto n = decoded(pub.jwk["n"]);
    BOOST_TEST(n.size() == 256u);
    BOOST_TEST(n == lacme::test::bn_param(key, OSSL_PKEY_PARAM_RSA_N));
}

BOOST_AUTO_TEST_CASE(ec_p256_account_key)
{
    EVP_PKEY* key = lacme::test::shared_p256();
    const auto pub = account_public_key_from(key);
    BOOST_TEST(pub.alg == jws_algorithm::es256);
    BOOST_TEST(member_names(pub.jwk) == (std::set<std::string>{"crv", "kty", "x", "y"}));
    BOOST_TEST(pub.jwk["kty"] == "EC");
    BOOST_TEST(pub.jwk["crv"] == "P-256");
    const auto point = lacme::test::ec_public_point(key);
    BOOST_REQUIRE(point.size() == 65u);
    BOOST_TEST(decoded(pub.jwk["x"]) == std::vector<std::uint8_t>(point.begin() + 1, point.begin() + 33));
    BOOST_TEST(decoded(pub.jwk["y"]) == std::vector<std::uint8_t>(point.begin() + 33, point.end()));
}

BOOST_AUTO_TEST_CASE(ec_p384_account_key)
{
    EVP_PKEY* key = lacme::test::shared_p384();
    const auto pub = account_public_key_from(key);
    BOOST_TEST(pub.alg == jws_algorithm::es384);
    BOOST_TEST(pub.jwk["crv"] == "P-384");
    const auto point = lacme::test::ec_public_point(key);
    BOOST_REQUIRE(point.size() == 97u);
    BOOST_TEST(decoded(pub.jwk["x"]) == std::vector<std::uint8_t>(point.begin() + 1, point.begin() + 49));
    BOOST_TEST(decoded(pub.jwk["y"]) == std::vector<std::uint8_t>(point.begin() + 49, point.end()));
}

BOOST_AUTO_TEST_CASE(ec_coordinates_keep_leading_zero_bytes)
{
    // RFC 7518 §6.2.1.2: x and y are the full field size even when they start with zero octets.
    // Generate P-256 keys until one has a coordinate with a leading zero byte (p = 1/128 each).
    for (int attempt = 0; attempt < 5000; ++attempt) {
        const auto key = lacme::test::generate_ec("P-256");
        const auto point = lacme::test::ec_public_point(key.get());
        if (point[1] != 0 && point[33] != 0)
            continue;
        const auto pub = account_public_key_from(key.get());
        BOOST_TEST(decoded(pub.jwk["x"]).size() == 32u);
        BOOST_TEST(decoded(pub.jwk["y"]).size() == 32u);
        BOOST_TEST(pub.jwk["x"].get<std::string>().size() == 43u);
        BOOST_TEST(pub.jwk["y"].get<std::string>().size() == 43u);
        return;
    }
    BOOST_FAIL("no P-256 key with a leading zero coordinate byte in 5000 attempts");
}

BOOST_AUTO_TEST_CASE(ec_thumbprint_follows_rfc7638_member_order)
{
    EVP_PKEY* key = lacme::test::shared_p256();
    const auto pub = account_public_key_from(key);
    const auto point = lacme::test::ec_public_point(key);
    const std::span<const std::uint8_t> xy(point.data() + 1, 64);
    // RFC 7638 §3.2: required members crv, kty, x, y in lexicographic order, no whitespace.
    const std::string expected_json = R"({"crv":"P-256","kty":"EC","x":")" + base64url_encode(xy.first(32)) +
                                      R"(","y":")" + base64url_encode(xy.subspan(32)) + R"("})";
    BOOST_TEST(canonical_json(pub.jwk) == expected_json);
    BOOST_TEST(jwk_thumbprint(pub.jwk) == base64url_encode(lacme::test::sha256(expected_json)));
}

BOOST_AUTO_TEST_CASE(rejects_rsa_1024)
{
    const auto key = lacme::test::generate_rsa(1024);
    BOOST_TEST(error_message([&] { (void)account_public_key_from(key.get()); }) ==
               "RSA key of 1024 bits (use 2048 to 4096)");
}

BOOST_AUTO_TEST_CASE(rejects_ed25519)
{
    const auto key = lacme::test::generate_ed25519();
    const std::string message = error_message([&] { (void)account_public_key_from(key.get()); });
    BOOST_TEST(message.starts_with("unsupported key type ED25519"), message);
    BOOST_TEST(message.find("use RSA, EC P-256 or EC P-384") != std::string::npos, message);
}

BOOST_AUTO_TEST_CASE(rejects_p521)
{
    const auto key = lacme::test::generate_ec("P-521");
    BOOST_TEST(error_message([&] { (void)account_public_key_from(key.get()); }) ==
               "unsupported EC curve secp521r1 (use P-256 or P-384)");
}

BOOST_AUTO_TEST_CASE(public_key_from_jwk_round_trips_account_keys)
{
    for (EVP_PKEY* key : {lacme::test::shared_rsa2048(), lacme::test::shared_p256()}) {
        const auto imported = lacme::public_key_from_jwk(account_public_key_from(key).jwk);
        BOOST_TEST(EVP_PKEY_eq(key, imported.get()) == 1);
    }
}

// Found while writing fuzz_jwk (its round trip fails on these): only x||y reached OpenSSL, so a
// byte moved from x to y gave the same key under another JWK and thumbprint; likewise n or e
// with leading zero octets.
BOOST_AUTO_TEST_CASE(public_key_from_jwk_takes_one_spelling_per_key)
{
    const auto ec = account_public_key_from(lacme::test::shared_p256()).jwk;
    const auto x = decoded(ec["x"]), y = decoded(ec["y"]);
    auto moved = ec;
    moved["x"] = base64url_encode(std::span(x).first(31));
    std::vector<std::uint8_t> longer_y{x.back()};
    longer_y.insert(longer_y.end(), y.begin(), y.end());
    moved["y"] = base64url_encode(longer_y);
    BOOST_TEST(error_message([&] { (void)lacme::public_key_from_jwk(moved); }) == "JWK member x is not 32 bytes long");

    const auto rsa = account_public_key_from(lacme::test::shared_rsa2048()).jwk;
    auto padded_n = rsa;
    auto n = decoded(rsa["n"]);
    n.insert(n.begin(), 0);
    padded_n["n"] = base64url_encode(n);
    BOOST_TEST(error_message([&] { (void)lacme::public_key_from_jwk(padded_n); }) ==
               "JWK member n is not a minimal big-endian integer");
    auto padded_e = rsa;
    padded_e["e"] = "AAEAAQ";
    BOOST_CHECK_THROW(lacme::public_key_from_jwk(padded_e), lacme::error);
}

BOOST_AUTO_TEST_SUITE_END()
