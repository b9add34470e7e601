// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/jws_signature.hpp"

#include "test/support/error_message.hpp"
#include "test/support/test_keys.hpp"

#include <boost/test/unit_test.hpp>

using lacme::ecdsa_der_to_raw;
using lacme::ecdsa_raw_to_der;
using lacme::jws_algorithm;
using lacme::jws_verify;
using lacme::test::error_message;

namespace {

const std::string input = "eyJhbGciOiJFUzI1NiJ9.eyJ0ZXN0Ijp0cnVlfQ";

struct case_t {
    const char* name;
    EVP_PKEY* (*key)();
    jws_algorithm alg;
};

const case_t cases[] = {
    {"RS256", lacme::test::shared_rsa2048, jws_algorithm::rs256},
    {"ES256", lacme::test::shared_p256, jws_algorithm::es256},
    {"ES384", lacme::test::shared_p384, jws_algorithm::es384},
};

// A JWS signature produced by OpenSSL directly (DER converted to r||s for ECDSA).
std::vector<std::uint8_t> jws_sign(EVP_PKEY* key, jws_algorithm alg, std::string_view data)
{
    auto sig = lacme::test::openssl_sign(key, lacme::jws_algorithm_digest(alg), data);
    if (const std::size_t size = lacme::jws_ecdsa_signature_size(alg); size != 0)
        sig = ecdsa_der_to_raw(sig, size);
    return sig;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(jws_signature)

BOOST_AUTO_TEST_CASE(der_to_raw_and_back_round_trips_for_p256_and_p384)
{
    for (auto [key, size] : {std::pair{lacme::test::shared_p256(), std::size_t{64}},
                             std::pair{lacme::test::shared_p384(), std::size_t{96}}}) {
        for (int i = 0; i < 20; ++i) {
            const std::string data = "message " + std::to_string(i);
            const auto der = lacme::test::openssl_sign(key, EVP_sha256(), data);
            const auto raw = ecdsa_der_to_raw(der, size);
            BOOST_TEST(raw.size() == size);
            BOOST_TEST(ecdsa_raw_to_der(raw) == der);  // DER is canonical: byte-identical
        }
    }
}

BOOST_AUTO_TEST_CASE(raw_keeps_leading_zeros_of_short_r_and_s)
{
    std::vector<std::uint8_t> raw(64, 0);
    raw[2] = 0x01;  // r = 0x01 followed by 29 bytes: 30 significant bytes
    raw[31] = 0x7f;
    raw[63] = 0x05;  // s = 5
    const auto der = ecdsa_raw_to_der(raw);
    // SEQUENCE { INTEGER (30 bytes), INTEGER 5 }
    BOOST_TEST(der.size() == 2u + 2u + 30u + 3u);
    BOOST_TEST(ecdsa_der_to_raw(der, 64) == raw);
}

BOOST_AUTO_TEST_CASE(der_to_raw_refuses_garbage_trailing_bytes_and_oversized_values)
{
    const std::vector<std::uint8_t> garbage = {0x01, 0x02, 0x03};
    BOOST_TEST(error_message([&] { (void)ecdsa_der_to_raw(garbage, 64); }).starts_with("decoding ECDSA signature"));
    auto der = lacme::test::openssl_sign(lacme::test::shared_p256(), EVP_sha256(), "x");
    der.push_back(0x00);
    BOOST_TEST(error_message([&] { (void)ecdsa_der_to_raw(der, 64); }).starts_with("decoding ECDSA signature"));
    // A P-384 signature does not fit P-256's 32-byte halves.
    std::vector<std::uint8_t> big(96, 0xff);
    BOOST_TEST(error_message([&] { (void)ecdsa_der_to_raw(ecdsa_raw_to_der(big), 64); }) ==
               "ECDSA signature does not fit the curve size");
}

BOOST_AUTO_TEST_CASE(verify_accepts_valid_signatures_for_each_algorithm)
{
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            const auto sig = jws_sign(c.key(), c.alg, input);
            BOOST_TEST(jws_verify(c.key(), c.alg, input, sig));
            BOOST_TEST(lacme::test::independent_verify(c.key(), c.name, input, sig));
        }
    }
}

BOOST_AUTO_TEST_CASE(verify_rejects_altered_input_signature_or_wrong_key)
{
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            const auto sig = jws_sign(c.key(), c.alg, input);
            BOOST_TEST(!jws_verify(c.key(), c.alg, input + "x", sig));
            BOOST_TEST(!jws_verify(c.key(), c.alg, "", sig));
            auto flipped = sig;
            flipped[flipped.size() / 3] ^= 0x01;
            BOOST_TEST(!jws_verify(c.key(), c.alg, input, flipped));
            auto truncated = sig;
            truncated.pop_back();
            BOOST_TEST(!jws_verify(c.key(), c.alg, input, truncated));
            BOOST_TEST(!jws_verify(c.key(), c.alg, input, std::vector<std::uint8_t>{}));
        }
    }
    const auto other_p256 = lacme::test::generate_ec("P-256");
    const auto sig = jws_sign(lacme::test::shared_p256(), jws_algorithm::es256, input);
    BOOST_TEST(!jws_verify(other_p256.get(), jws_algorithm::es256, input, sig));
}

BOOST_AUTO_TEST_CASE(verify_rejects_der_encoded_ecdsa_signatures)
{
    // JWS carries r||s; a DER signature must not be accepted even though it is valid for OpenSSL.
    const auto der = lacme::test::openssl_sign(lacme::test::shared_p256(), EVP_sha256(), input);
    BOOST_TEST(!jws_verify(lacme::test::shared_p256(), jws_algorithm::es256, input, der));
}

BOOST_AUTO_TEST_CASE(verify_rejects_ecdsa_signature_with_the_wrong_digest)
{
    // ES384 over P-256 would be a different algorithm: the digest must follow alg.
    const auto raw = ecdsa_der_to_raw(lacme::test::openssl_sign(lacme::test::shared_p384(), EVP_sha256(), input), 96);
    BOOST_TEST(!jws_verify(lacme::test::shared_p384(), jws_algorithm::es384, input, raw));
}

BOOST_AUTO_TEST_SUITE_END()
