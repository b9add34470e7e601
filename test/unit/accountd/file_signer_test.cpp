// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/keys/file_signer.hpp"

#include "test/support/error_message.hpp"
#include "test/support/printers.hpp"
#include "test/support/test_keys.hpp"
#include "common/jws_signature.hpp"

#include <boost/test/unit_test.hpp>
#include <openssl/param_build.h>

#include <initializer_list>
#include <memory>
#include <vector>

using lacme::jws_algorithm;
using lacme::accountd::file_signer;
using lacme::test::error_message;
using lacme::test::pem_format;
using lacme::test::private_key_pem;

namespace {

const std::string origin = "/etc/lacme/account.key";
const std::string signing_input =
    "eyJhbGciOiJFUzI1NiIsIm5vbmNlIjoibiIsInVybCI6Imh0dHBzOi8vYSIsImtpZCI6Imh0dHBzOi8vYS9hY2N0LzEifQ.e30";

// A passphrase source that counts how often it is asked.
struct counting_source {
    std::string passphrase;
    std::shared_ptr<int> calls = std::make_shared<int>(0);

    file_signer::passphrase_source source() const
    {
        return [pass = passphrase, calls = calls] {
            ++*calls;
            return lacme::secret_string(pass);
        };
    }
};

struct key_case {
    const char* name;
    EVP_PKEY* (*key)();
    jws_algorithm alg;
    const char* traditional_header;
};

const key_case key_cases[] = {
    {"RSA-2048", lacme::test::shared_rsa2048, jws_algorithm::rs256, "-----BEGIN RSA PRIVATE KEY-----"},
    {"P-256", lacme::test::shared_p256, jws_algorithm::es256, "-----BEGIN EC PRIVATE KEY-----"},
    {"P-384", lacme::test::shared_p384, jws_algorithm::es384, "-----BEGIN EC PRIVATE KEY-----"},
};

// A key of type `type` whose parameters named in `from_first` come from `first` and all others
// from `second`: public and private parts of two different keys, as a damaged file would hold.
lacme::evp_pkey_ptr spliced_key(const char* type, EVP_PKEY* first, EVP_PKEY* second,
                                std::initializer_list<const char*> from_first,
                                std::initializer_list<const char*> from_second, const char* group = nullptr)
{
    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
    std::vector<lacme::bignum_ptr> numbers;
    std::vector<std::uint8_t> point;
    const auto push = [&](EVP_PKEY* key, const char* name) {
        if (std::string_view(name) == OSSL_PKEY_PARAM_PUB_KEY && group) {
            point = lacme::test::ec_public_point(key);
            BOOST_REQUIRE(OSSL_PARAM_BLD_push_octet_string(bld.get(), name, point.data(), point.size()) == 1);
            return;
        }
        BIGNUM* raw = nullptr;
        BOOST_REQUIRE(EVP_PKEY_get_bn_param(key, name, &raw) == 1);
        numbers.emplace_back(raw);
        BOOST_REQUIRE(OSSL_PARAM_BLD_push_BN(bld.get(), name, raw) == 1);
    };
    if (group)
        BOOST_REQUIRE(OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) == 1);
    for (const char* name : from_first)
        push(first, name);
    for (const char* name : from_second)
        push(second, name);
    const std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(bld.get()),
                                                                         OSSL_PARAM_free);
    const lacme::evp_pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* key = nullptr;
    BOOST_REQUIRE(ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1);
    BOOST_REQUIRE(EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_KEYPAIR, params.get()) == 1);
    return lacme::evp_pkey_ptr(key);
}

std::unique_ptr<file_signer> load(const std::string& pem, const file_signer::passphrase_source& source = {})
{
    return file_signer::from_pem(pem, origin, source);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(file_signer_loading)

BOOST_AUTO_TEST_CASE(loads_pkcs8_pem_without_asking_for_a_passphrase)
{
    for (const auto& c : key_cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            const std::string pem = private_key_pem(c.key(), pem_format::pkcs8);
            BOOST_REQUIRE(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
            counting_source pass{"unused"};
            const auto signer = load(pem, pass.source());
            BOOST_TEST(signer->algorithm() == c.alg);
            BOOST_TEST(signer->jwk() == lacme::account_public_key_from(c.key()).jwk);
            BOOST_TEST(*pass.calls == 0);
        }
    }
}

BOOST_AUTO_TEST_CASE(loads_traditional_pem)
{
    for (const auto& c : key_cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            const std::string pem = private_key_pem(c.key(), pem_format::traditional);
            BOOST_REQUIRE(pem.starts_with(c.traditional_header));
            const auto signer = load(pem);
            BOOST_TEST(signer->algorithm() == c.alg);
            BOOST_TEST(signer->jwk() == lacme::account_public_key_from(c.key()).jwk);
        }
    }
}

BOOST_AUTO_TEST_CASE(loads_encrypted_pem_with_the_right_passphrase)
{
    for (const auto& c : key_cases) {
        for (auto format : {pem_format::pkcs8, pem_format::traditional}) {
            BOOST_TEST_CONTEXT(c.name << (format == pem_format::pkcs8 ? " PKCS#8" : " traditional"))
            {
                const std::string pem = private_key_pem(c.key(), format, "open sesame");
                BOOST_REQUIRE((pem.find("ENCRYPTED") != std::string::npos));
                counting_source pass{"open sesame"};
                const auto signer = load(pem, pass.source());
                BOOST_TEST(*pass.calls == 1);
                BOOST_TEST(signer->algorithm() == c.alg);
                BOOST_TEST(signer->jwk() == lacme::account_public_key_from(c.key()).jwk);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(encrypted_pem_with_a_wrong_passphrase_is_refused)
{
    for (auto format : {pem_format::pkcs8, pem_format::traditional}) {
        BOOST_TEST_CONTEXT((format == pem_format::pkcs8 ? "PKCS#8" : "traditional"))
        {
            for (int i = 0; i < 8; ++i) {
                const std::string pem = private_key_pem(lacme::test::shared_p256(), format, "open sesame");
                counting_source pass{"open sesame!"};
                BOOST_TEST(error_message([&] { (void)load(pem, pass.source()); }) ==
                           origin + ": wrong passphrase (or damaged encrypted key)");
                BOOST_TEST(*pass.calls == 1);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(encrypted_pem_without_a_passphrase_source_is_refused)
{
    const std::string pem = private_key_pem(lacme::test::shared_p256(), pem_format::pkcs8, "open sesame");
    BOOST_TEST(error_message([&] { (void)load(pem); }) ==
               origin + ": the key is encrypted and no passphrase source is configured");
}

BOOST_AUTO_TEST_CASE(passphrase_source_failure_is_reported)
{
    const std::string pem = private_key_pem(lacme::test::shared_p256(), pem_format::traditional, "open sesame");
    const file_signer::passphrase_source failing = []() -> lacme::secret_string {
        throw lacme::error("no terminal to prompt for the passphrase");
    };
    BOOST_TEST(error_message([&] { (void)load(pem, failing); }) ==
               origin + ": no terminal to prompt for the passphrase");
}

BOOST_AUTO_TEST_CASE(garbage_is_not_a_pem_private_key)
{
    BOOST_TEST(error_message([] { (void)load("this is not a key\n"); }) == origin + ": not a PEM private key");
    BOOST_TEST(error_message([] { (void)load(""); }) == origin + ": not a PEM private key");
    BOOST_TEST(error_message([] { (void)load("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"); }) ==
               origin + ": not a PEM private key");
    // A public key is not an account key.
    const std::string pub = lacme::test::public_key_pem(lacme::test::shared_p256());
    BOOST_TEST(error_message([&] { (void)load(pub); }) == origin + ": not a PEM private key");
}

BOOST_AUTO_TEST_CASE(key_whose_public_and_private_parts_differ_is_refused)
{
    const std::string expected = origin + ": invalid key (public and private parts do not match)";
    const auto other_p256 = lacme::test::generate_ec("P-256");
    const auto ec = spliced_key("EC", lacme::test::shared_p256(), other_p256.get(), {OSSL_PKEY_PARAM_PUB_KEY},
                                {OSSL_PKEY_PARAM_PRIV_KEY}, "prime256v1");
    BOOST_TEST(error_message([&] { (void)load(private_key_pem(ec.get(), pem_format::pkcs8)); }) == expected);

    const auto other_rsa = lacme::test::generate_rsa(2048);
    const auto rsa = spliced_key(
        "RSA", lacme::test::shared_rsa2048(), other_rsa.get(), {OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E},
        {OSSL_PKEY_PARAM_RSA_D, OSSL_PKEY_PARAM_RSA_FACTOR1, OSSL_PKEY_PARAM_RSA_FACTOR2, OSSL_PKEY_PARAM_RSA_EXPONENT1,
         OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1});
    BOOST_TEST(error_message([&] { (void)load(private_key_pem(rsa.get(), pem_format::traditional)); }) == expected);

    // The same splice of one key's own parts loads: the check is not what refused the others.
    const auto whole = spliced_key("EC", lacme::test::shared_p256(), lacme::test::shared_p256(),
                                   {OSSL_PKEY_PARAM_PUB_KEY}, {OSSL_PKEY_PARAM_PRIV_KEY}, "prime256v1");
    BOOST_TEST(load(private_key_pem(whole.get(), pem_format::pkcs8))->algorithm() == jws_algorithm::es256);
}

BOOST_AUTO_TEST_CASE(truncated_pem_is_refused)
{
    const std::string pem = private_key_pem(lacme::test::shared_p384(), pem_format::pkcs8);
    BOOST_TEST(error_message([&] { (void)load(pem.substr(0, pem.size() / 2)); }) == origin + ": not a PEM private key");
}

BOOST_AUTO_TEST_CASE(unsupported_key_types_are_refused_with_their_name)
{
    const auto ed25519 = lacme::test::generate_ed25519();
    const std::string ed_message =
        error_message([&] { (void)load(private_key_pem(ed25519.get(), pem_format::pkcs8)); });
    BOOST_TEST(ed_message.starts_with(origin + ": unsupported key type ED25519"), ed_message);

    const auto dsa = lacme::test::generate_dsa();
    const std::string dsa_message =
        error_message([&] { (void)load(private_key_pem(dsa.get(), pem_format::traditional)); });
    BOOST_TEST(dsa_message.starts_with(origin + ": unsupported key type DSA"), dsa_message);

    const auto rsa1024 = lacme::test::generate_rsa(1024);
    BOOST_TEST(error_message([&] { (void)load(private_key_pem(rsa1024.get(), pem_format::pkcs8)); }) ==
               origin + ": RSA key of 1024 bits (use 2048 to 4096)");

    const auto p521 = lacme::test::generate_ec("P-521");
    BOOST_TEST(error_message([&] { (void)load(private_key_pem(p521.get(), pem_format::traditional)); }) ==
               origin + ": unsupported EC curve secp521r1 (use P-256 or P-384)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(file_signer_signatures)

BOOST_AUTO_TEST_CASE(signatures_verify_per_rfc7515_and_rfc7518)
{
    for (const auto& c : key_cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            const auto signer = load(private_key_pem(c.key(), pem_format::pkcs8));
            const auto sig = signer->sign(signing_input);
            const std::string alg(lacme::jws_algorithm_name(c.alg));
            BOOST_TEST(lacme::test::independent_verify(c.key(), alg, signing_input, sig));
            BOOST_TEST(lacme::jws_verify(c.key(), c.alg, signing_input, sig));
            BOOST_TEST(!lacme::jws_verify(c.key(), c.alg, signing_input + "A", sig));
        }
    }
}

BOOST_AUTO_TEST_CASE(rs256_signature_is_deterministic_and_modulus_sized)
{
    const auto signer = load(private_key_pem(lacme::test::shared_rsa2048(), pem_format::traditional));
    const auto a = signer->sign(signing_input);
    const auto b = signer->sign(signing_input);
    BOOST_TEST(a.size() == 256u);
    BOOST_TEST(a == b);  // RSASSA-PKCS1-v1_5 has no randomness
    BOOST_TEST(signer->sign(signing_input + "x") != a);
}

BOOST_AUTO_TEST_CASE(ecdsa_signatures_are_raw_r_s_of_the_curve_size)
{
    const auto p256 = load(private_key_pem(lacme::test::shared_p256(), pem_format::pkcs8));
    const auto p384 = load(private_key_pem(lacme::test::shared_p384(), pem_format::pkcs8));
    for (int i = 0; i < 16; ++i) {  // DER lengths vary from signature to signature; r||s never does
        const std::string input = signing_input + std::to_string(i);
        const auto s256 = p256->sign(input);
        const auto s384 = p384->sign(input);
        BOOST_TEST(s256.size() == 64u);
        BOOST_TEST(s384.size() == 96u);
        BOOST_TEST(lacme::test::independent_verify(lacme::test::shared_p256(), "ES256", input, s256));
        BOOST_TEST(lacme::test::independent_verify(lacme::test::shared_p384(), "ES384", input, s384));
    }
}

BOOST_AUTO_TEST_CASE(ecdsa_signatures_are_randomised_yet_all_verify)
{
    const auto signer = load(private_key_pem(lacme::test::shared_p256(), pem_format::pkcs8));
    const auto a = signer->sign(signing_input);
    const auto b = signer->sign(signing_input);
    BOOST_TEST(a != b);
    BOOST_TEST(lacme::test::independent_verify(lacme::test::shared_p256(), "ES256", signing_input, a));
    BOOST_TEST(lacme::test::independent_verify(lacme::test::shared_p256(), "ES256", signing_input, b));
}

BOOST_AUTO_TEST_SUITE_END()
