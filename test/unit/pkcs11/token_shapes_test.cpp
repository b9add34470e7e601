// SPDX-License-Identifier: GPL-3.0-or-later
// --list-keys on SoftHSM tokens given the labels, ids and flags ykcs11 (YubiKey PIV) and OpenSC's
// PIV driver expose: every key URI printed, with or without a login, pasted as privkey, signs.
// (The public and private key labels differ on both, so a URI built from the public key's label
// would match nothing.)
#include "pkcs11/list_keys.hpp"
#include "softhsm_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>

using namespace lacme;
using namespace lacme::pkcs11;
using namespace lacme::pkcs11::test;

namespace {

struct piv_shaped_tokens {
    softhsm hsm;
    piv_shaped_tokens()
    {
        // ykcs11 2.2: slot 9a is id 01, 9c (always-authenticate) id 02, 9d id 03.
        const auto yubikey = hsm.init_token("YubiKey PIV #12345678");
        hsm.generate_ec(yubikey,
                        {"Private key for PIV Authentication", {0x01}, false, "Public key for PIV Authentication"},
                        "P-256");
        hsm.generate_ec(
            yubikey, {"Private key for Digital Signature", {0x02}, true, "Public key for Digital Signature"}, "P-256");
        hsm.generate_rsa(yubikey, {"Private key for Key Management", {0x03}, false, "Public key for Key Management"});
        // OpenSC 0.23's PIV driver: one fixed token label for every card.
        const auto opensc = hsm.init_token("PIV_II (PIV Card Holder pin)");
        hsm.generate_ec(opensc, {"PIV AUTH key", {0x01}, false, "PIV AUTH pubkey"}, "P-256");
        hsm.generate_ec(opensc, {"SIGN key", {0x02}, true, "SIGN pubkey"}, "P-384");
        hsm.release_module();
    }

    static std::string listing(const std::string& configured, bool with_pin)
    {
        const uri selection = uri::parse(configured);
        const secret_string pin(user_pin);
        list_options options;
        options.selection = &selection;
        options.pin = with_pin ? &pin : nullptr;
        const module m(listing_module(&selection, softhsm_module, options));
        std::ostringstream out;
        list_keys(m, options, out);
        return out.str();
    }

    // Lists without and with the configured token's PIN (the key shows by its public, then its
    // private key line), and pastes each listing's key URIs.
    static void every_uri_signs_with_and_without_pin(const std::string& configured, const std::string& public_line,
                                                     const std::string& private_line)
    {
        const std::string without = listing(configured, false);
        BOOST_TEST(contains(without, public_line), without);
        every_uri_signs(without, 5);
        const std::string with = listing(configured, true);
        BOOST_TEST(contains(with, private_line), with);
        every_uri_signs(with, 5);
    }

    // Pastes every key URI of the listing as privkey, with no module configured: the URI must
    // carry it.
    static void every_uri_signs(const std::string& out, std::size_t expected)
    {
        const auto uris = printed_key_uris(out);
        BOOST_TEST(uris.size() == expected, out);
        auto o = test_options();
        o.module.clear();
        for (const auto& u : uris) {
            BOOST_TEST(!contains(u, "object="), u);  // ids are unique here: no label, least of all a public key's
            BOOST_TEST(contains(u, "module-path=%2Fusr%2Flib%2Fsofthsm%2Flibsofthsm2.so"), u);
            test_signer signer(with_test_pin(u), o);
            const auto key = public_key_from_jwk(signer.jwk());
            BOOST_TEST(jws_verify(key.get(), signer.algorithm(), "a.b", signer.sign("a.b")), u);
        }
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(pkcs11_token_shapes, piv_shaped_tokens)

BOOST_AUTO_TEST_CASE(ykcs11_shaped_token_uris_sign)
{
    const std::string configured = "pkcs11:token=YubiKey%20PIV%20%2312345678";
    every_uri_signs_with_and_without_pin(configured, "label 'Public key for Digital Signature', id 02",
                                         "label 'Private key for Digital Signature', id 02, EC P-256 private key");
    const std::string out = listing(configured, false);
    BOOST_TEST(contains(out, ";token=YubiKey%20PIV%20%2312345678;id=%02;type=private?module-path="), out);
}

BOOST_AUTO_TEST_CASE(opensc_shaped_token_uris_sign)
{
    every_uri_signs_with_and_without_pin("pkcs11:token=PIV_II%20(PIV%20Card%20Holder%20pin)",
                                         "label 'SIGN pubkey', id 02",
                                         "label 'SIGN key', id 02, EC P-384 private key [ES384]");
}

BOOST_AUTO_TEST_CASE(listing_uses_the_configured_uris_module)
{
    list_options options;
    const uri by_path = uri::parse("pkcs11:token=x?module-path=/usr/lib/softhsm/libsofthsm2.so");
    BOOST_TEST(listing_module(&by_path, "/other.so", options) == softhsm_module);
    BOOST_TEST(options.module_path == softhsm_module);
    list_options by_name_options;
    const uri by_name = uri::parse("pkcs11:token=x?module-name=softhsm2");
    BOOST_TEST(contains(listing_module(&by_name, "/other.so", by_name_options), "libsofthsm2.so"));
    BOOST_TEST(by_name_options.module_name == "softhsm2");
    BOOST_TEST(by_name_options.module_path.empty());
    list_options configured_options;
    BOOST_TEST(listing_module(nullptr, "/other.so", configured_options) == "/other.so");
    BOOST_TEST(configured_options.module_path == "/other.so");
    list_options proxy_options;
    BOOST_TEST(listing_module(nullptr, "", proxy_options) == std::string(default_module()));
    BOOST_TEST(proxy_options.module_path.empty());
    BOOST_TEST(proxy_options.module_name.empty());
}

BOOST_AUTO_TEST_SUITE_END()
