// SPDX-License-Identifier: GPL-3.0-or-later
// Choosing token and key by URI: every selector, no match and several matches (errors listing
// what exists), and --list-keys output.
#include "pkcs11/list_keys.hpp"
#include "softhsm_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>

using namespace lacme;
using namespace lacme::pkcs11;
using namespace lacme::pkcs11::test;

namespace {

// Two tokens: "acme" with P-256 "account" (id 02) and RSA "other" (id 05); "spare" with P-384
// "account" (id 02) and P-256 "twin" twice (ids 07, 08).
struct two_tokens {
    softhsm hsm;
    std::string acme_serial;
    two_tokens()
    {
        const auto acme = hsm.init_token("acme");
        hsm.generate_ec(acme, {"account", {0x02}}, "P-256");
        hsm.generate_rsa(acme, {"other", {0x05}});
        acme_serial = padded(token_info(hsm.mod(), acme).serialNumber);
        const auto spare = hsm.init_token("spare");
        hsm.generate_ec(spare, {"account", {0x02}}, "P-384");
        hsm.generate_ec(spare, {"twin", {0x07}}, "P-256");
        hsm.generate_ec(spare, {"twin", {0x08}}, "P-256");
        hsm.release_module();
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(pkcs11_selection, two_tokens)

BOOST_AUTO_TEST_CASE(selects_by_label_id_serial_model_manufacturer)
{
    const auto alg_of = [](const std::string& u) { return test_signer(u, test_options()).algorithm(); };
    BOOST_TEST(alg_of("pkcs11:token=acme;object=account;type=private?pin-value=1234") == jws_algorithm::es256);
    BOOST_TEST(alg_of("pkcs11:token=spare;object=account?pin-value=1234") == jws_algorithm::es384);
    BOOST_TEST(alg_of("pkcs11:token=acme;id=%05?pin-value=1234") == jws_algorithm::rs256);
    BOOST_TEST(alg_of("pkcs11:serial=" + acme_serial + ";id=%02?pin-value=1234") == jws_algorithm::es256);
    BOOST_TEST(alg_of("pkcs11:manufacturer=SoftHSM%20project;model=SoftHSM%20v2;token=spare;id=%07?pin-value=1234") ==
               jws_algorithm::es256);
    BOOST_TEST(alg_of("pkcs11:token=spare;id=%02?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234") ==
               jws_algorithm::es384);
}

BOOST_AUTO_TEST_CASE(module_from_uri_name_or_p11kit_proxy)
{
    auto o = test_options();
    o.module.clear();
    // module-name=softhsm2: the module p11-kit has registered under that name.
    test_signer by_name("pkcs11:token=spare;id=%02?module-name=softhsm2&pin-value=1234", o);
    BOOST_TEST(by_name.algorithm() == jws_algorithm::es384);
    // Nothing named: p11-kit's proxy, which forwards to every registered module (SoftHSM here).
    test_signer by_proxy("pkcs11:token=acme;object=account?pin-value=1234", o);
    BOOST_TEST(by_proxy.algorithm() == jws_algorithm::es256);
    const auto key = public_key_from_jwk(by_proxy.jwk());
    BOOST_TEST(jws_verify(key.get(), jws_algorithm::es256, "a.b", by_proxy.sign("a.b")));
}

BOOST_AUTO_TEST_CASE(selects_by_slot_id)
{
    module m(softhsm_module);
    CK_SLOT_ID spare = 0;
    for (const auto& t : list_tokens(m))
        if (padded(t.token.label) == "spare")
            spare = t.slot;
    m.finalize();
    test_signer signer("pkcs11:slot-id=" + std::to_string(spare) + ";object=account?pin-value=1234", test_options());
    BOOST_TEST(signer.algorithm() == jws_algorithm::es384);
}

BOOST_AUTO_TEST_CASE(no_such_token_lists_tokens)
{
    const auto message =
        error_message([] { test_signer("pkcs11:token=nope;object=account?pin-value=1234", test_options()); });
    BOOST_TEST(contains(message, "no token matches"), message);
    BOOST_TEST(contains(message, "'acme'"), message);
    BOOST_TEST(contains(message, "'spare'"), message);
    BOOST_TEST(!contains(message, "\n"));
    // The URI is quoted, its PIN is not.
    BOOST_TEST(contains(message, "pin-value=***"), message);
    BOOST_TEST(!contains(message, "1234"), message);
}

BOOST_AUTO_TEST_CASE(no_such_object_lists_keys)
{
    const auto message =
        error_message([] { test_signer("pkcs11:token=acme;object=nope?pin-value=1234", test_options()); });
    BOOST_TEST(contains(message, "no private key matches"), message);
    BOOST_TEST(contains(message, "label 'account', id 02, EC P-256 private key"), message);
    BOOST_TEST(contains(message, "label 'other', id 05, RSA-2048 private key"), message);
}

BOOST_AUTO_TEST_CASE(ambiguous_object_lists_candidates)
{
    const auto message =
        error_message([] { test_signer("pkcs11:token=spare;object=twin?pin-value=1234", test_options()); });
    BOOST_TEST(contains(message, "several private keys match"), message);
    BOOST_TEST(contains(message, "id 07"), message);
    BOOST_TEST(contains(message, "id 08"), message);
}

BOOST_AUTO_TEST_CASE(ambiguous_token_lists_candidates)
{
    // "account" exists on both tokens: no guessing.
    const auto message = error_message([] { test_signer("pkcs11:object=account?pin-value=1234", test_options()); });
    BOOST_TEST(contains(message, "several tokens match"), message);
    BOOST_TEST(contains(message, "'acme'"), message);
    BOOST_TEST(contains(message, "'spare'"), message);
    // "other" is visible (as a public key) on one token only: that token is meant.
    test_signer signer("pkcs11:object=other?pin-value=1234", test_options());
    BOOST_TEST(signer.algorithm() == jws_algorithm::rs256);
}

BOOST_AUTO_TEST_CASE(type_must_be_private)
{
    const auto message = error_message(
        [] { test_signer("pkcs11:token=acme;object=account;type=public?pin-value=1234", test_options()); });
    BOOST_TEST(contains(message, "type=private"), message);
}

BOOST_AUTO_TEST_CASE(list_keys_prints_usable_uris)
{
    module m(softhsm_module);
    std::ostringstream without_pin;
    BOOST_TEST(list_keys(m, {}, without_pin) == 5u);
    const std::string out = without_pin.str();
    BOOST_TEST(contains(out, "token 'acme'"), out);
    BOOST_TEST(contains(out, "\n  pkcs11:serial=" + acme_serial + ";token=acme\n"), out);
    BOOST_TEST(contains(out, "pkcs11:serial=" + acme_serial + ";token=acme;id=%02;type=private\n"), out);
    // The two "twin" keys differ by id: no label needed. The id alone tells them apart.
    BOOST_TEST(contains(out, "token=spare;id=%07;type=private\n"), out);
    BOOST_TEST(contains(out, "[ES256]"), out);
    BOOST_TEST(contains(out, "[ES384]"), out);
    BOOST_TEST(contains(out, "[RS256]"), out);
    BOOST_TEST(contains(out, "private key not visible without login"), out);

    const secret_string pin(std::string("1234"));
    std::ostringstream with_pin;
    const uri both = uri::parse("pkcs11:object=account");  // no token attribute: selects both tokens
    BOOST_TEST(list_keys(m, {.selection = &both, .pin = &pin}, with_pin) == 5u);
    BOOST_TEST(contains(with_pin.str(), "EC P-256 private key [ES256]"), with_pin.str());
    BOOST_TEST(!contains(with_pin.str(), "not visible"), with_pin.str());

    // Every URI printed, with or without login, selects its key and signs.
    m.finalize();
    for (const auto& listing : {out, with_pin.str()}) {
        const auto uris = printed_key_uris(listing);
        BOOST_TEST(uris.size() == 5u, listing);
        for (const auto& u : uris) {
            test_signer signer(with_test_pin(u), test_options());
            BOOST_TEST(signer.sign("a.b").size() >= 64u, u);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
