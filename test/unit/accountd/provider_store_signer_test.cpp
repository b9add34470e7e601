// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/keys/provider_store_listing.hpp"
#include "accountd/keys/provider_store_signer.hpp"

#include "test/support/error_message.hpp"
#include "test/support/printers.hpp"
#include "test/support/temp_dir.hpp"
#include "test/support/test_keys.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>

using lacme::jws_algorithm;
using lacme::accountd::passphrase_source;
using lacme::accountd::provider_context;
using lacme::accountd::provider_store_signer;
using lacme::test::error_message;
using lacme::test::pem_format;
using lacme::test::private_key_pem;
using lacme::test::temp_dir;
using lacme::test::write_file;

namespace {

const std::string signing_input =
    "eyJhbGciOiJFUzI1NiIsIm5vbmNlIjoibiIsInVybCI6Imh0dHBzOi8vYSIsImtpZCI6Imh0dHBzOi8vYS9hY2N0LzEifQ.e30";

// A passphrase source that counts how often it is asked.
struct counting_source {
    std::string passphrase;
    std::shared_ptr<int> calls = std::make_shared<int>(0);

    [[nodiscard]] passphrase_source source() const
    {
        return [pass = passphrase, calls = calls] {
            ++*calls;
            return lacme::secret_string(pass);
        };
    }
};

std::unique_ptr<provider_store_signer> open(const std::string& uri, const passphrase_source& passphrase = {},
                                            const std::vector<std::string>& providers = {})
{
    return std::make_unique<provider_store_signer>(uri, providers, passphrase);
}

std::string open_error(const std::string& uri, const passphrase_source& passphrase = {},
                       const std::vector<std::string>& providers = {})
{
    return error_message([&] { (void)open(uri, passphrase, providers); });
}

struct key_case {
    const char* name;
    EVP_PKEY* (*key)();
    jws_algorithm alg;
};

const key_case key_cases[] = {
    {"RS256", lacme::test::shared_rsa2048, jws_algorithm::rs256},
    {"ES256", lacme::test::shared_p256, jws_algorithm::es256},
    {"ES384", lacme::test::shared_p384, jws_algorithm::es384},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(accountd_provider_store_signer)

BOOST_AUTO_TEST_CASE(file_uris_sign_like_file_keys)
{
    temp_dir dir;
    for (const auto& c : key_cases) {
        for (const auto format : {pem_format::pkcs8, pem_format::traditional}) {
            const std::string path = dir.file(std::string(c.name) + ".pem");
            write_file(path, private_key_pem(c.key(), format));
            // Both spellings OpenSSL's file loader takes, with the default provider named or not.
            for (const std::string& uri : {"file:" + path, path}) {
                for (const std::vector<std::string>& providers : {std::vector<std::string>{}, {"default"}}) {
                    const auto signer = open(uri, {}, providers);
                    BOOST_TEST(signer->algorithm() == c.alg, c.name);
                    BOOST_TEST(signer->jwk() == lacme::account_public_key_from(c.key()).jwk, c.name);
                    BOOST_TEST(signer->description() == "store:" + uri + " (provider default)");
                    const auto signature = signer->sign(signing_input);
                    BOOST_TEST(lacme::test::independent_verify(c.key(), c.name, signing_input, signature), c.name);
                    BOOST_TEST(!lacme::test::independent_verify(c.key(), c.name, signing_input + "A", signature));
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(encrypted_pem_asks_the_passphrase_source_once)
{
    temp_dir dir;
    const std::string path = dir.file("account.pem");
    write_file(path, private_key_pem(lacme::test::shared_p256(), pem_format::pkcs8, "s3cret pass"));
    const counting_source right{"s3cret pass"};
    const auto signer = open("file:" + path, right.source());
    BOOST_TEST(signer->algorithm() == jws_algorithm::es256);
    BOOST_TEST(*right.calls == 1);
    BOOST_TEST(lacme::test::independent_verify(lacme::test::shared_p256(), "ES256", signing_input,
                                               signer->sign(signing_input)));

    const counting_source wrong{"wrong"};
    BOOST_TEST(open_error("file:" + path, wrong.source()) ==
               "store:file:" + path + ": wrong passphrase or PIN (or a damaged key)");
    BOOST_TEST(*wrong.calls == 1);

    const passphrase_source failing = []() -> lacme::secret_string { throw lacme::error("can't open /nope"); };
    BOOST_TEST(open_error("file:" + path, failing) == "store:file:" + path + ": can't open /nope");
}

BOOST_AUTO_TEST_CASE(unplain_key_files_are_not_asked_for_a_passphrase)
{
    temp_dir dir;
    const std::string path = dir.file("account.pem");
    write_file(path, private_key_pem(lacme::test::shared_p384(), pem_format::pkcs8));
    const counting_source source{"unused"};
    BOOST_TEST(open("file:" + path, source.source())->algorithm() == jws_algorithm::es384);
    BOOST_TEST(*source.calls == 0);
}

BOOST_AUTO_TEST_CASE(wrong_key_types_are_clear_errors)
{
    temp_dir dir;
    const std::string ed = dir.file("ed25519.pem");
    write_file(ed, private_key_pem(lacme::test::generate_ed25519().get(), pem_format::pkcs8));
    BOOST_TEST(open_error("file:" + ed) ==
               "store:file:" + ed + ": unsupported key type ED25519 (use RSA, EC P-256 or EC P-384)");

    const std::string p521 = dir.file("p521.pem");
    write_file(p521, private_key_pem(lacme::test::generate_ec("P-521").get(), pem_format::pkcs8));
    BOOST_TEST(open_error("file:" + p521).starts_with("store:file:" + p521 + ": "));

    const std::string small = dir.file("rsa1024.pem");
    write_file(small, private_key_pem(lacme::test::generate_rsa(1024).get(), pem_format::pkcs8));
    BOOST_TEST(open_error("file:" + small) == "store:file:" + small + ": RSA key of 1024 bits (use 2048 to 4096)");
}

BOOST_AUTO_TEST_CASE(uris_without_exactly_one_private_key_are_errors)
{
    temp_dir dir;
    const std::string pub = dir.file("public.pem");
    write_file(pub, lacme::test::public_key_pem(lacme::test::shared_p256()));
    BOOST_TEST(open_error("file:" + pub) == "store:file:" + pub + ": no private key there");

    const std::string two = dir.file("two.pem");
    write_file(two, private_key_pem(lacme::test::shared_p256(), pem_format::pkcs8) +
                        private_key_pem(lacme::test::shared_p384(), pem_format::pkcs8));
    BOOST_TEST(open_error("file:" + two) ==
               "store:file:" + two + " names more than one private key (make the URI select one)");

    BOOST_TEST(
        open_error("file:" + dir.file("absent.pem")).starts_with("cannot open store:file:" + dir.file("absent.pem")));
    BOOST_TEST(open_error("nosuchscheme:key").starts_with("cannot open store:nosuchscheme:key (is the provider"));
}

BOOST_AUTO_TEST_CASE(providers_that_do_not_load_are_named)
{
    BOOST_TEST(error_message([] {
                   provider_context({"no-such-provider"});
               }).starts_with("cannot load OpenSSL provider 'no-such-provider'"));
}

BOOST_AUTO_TEST_CASE(a_pin_value_in_the_uri_is_never_shown)
{
    const std::string message = open_error("pkcs11:token=t;object=k?pin-value=9876");
    BOOST_TEST(message.find("9876") == std::string::npos, message);
    BOOST_TEST(message.find("pin-value=***") != std::string::npos, message);
}

BOOST_AUTO_TEST_CASE(listing_shows_keys_and_directory_entries)
{
    temp_dir dir;
    write_file(dir.file("p256.pem"), private_key_pem(lacme::test::shared_p256(), pem_format::pkcs8) +
                                         lacme::test::public_key_pem(lacme::test::shared_p256()));
    write_file(dir.file("ed25519.pem"), private_key_pem(lacme::test::generate_ed25519().get(), pem_format::pkcs8));
    const provider_context providers({});
    std::ostringstream key;
    lacme::accountd::list_store_objects(providers, "file:" + dir.file("p256.pem"), {}, key);
    BOOST_TEST(key.str() == "store:file:" + dir.file("p256.pem") + "  private key ES256 (provider default)\n" +
                                "store:file:" + dir.file("p256.pem") + "  public key\n");

    std::ostringstream unusable;
    lacme::accountd::list_store_objects(providers, "file:" + dir.file("ed25519.pem"), {}, unusable);
    BOOST_TEST(unusable.str().find("private key not usable: unsupported key type ED25519") != std::string::npos,
               unusable.str());

    std::ostringstream entries;
    lacme::accountd::list_store_objects(providers, "file:" + dir.path(), {}, entries);
    BOOST_TEST(entries.str().find("store:file:" + dir.file("p256.pem")) != std::string::npos, entries.str());
    BOOST_TEST(entries.str().find("store:file:" + dir.file("ed25519.pem")) != std::string::npos, entries.str());
}

BOOST_AUTO_TEST_SUITE_END()
