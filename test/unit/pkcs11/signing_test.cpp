// SPDX-License-Identifier: GPL-3.0-or-later
// Signatures made on a SoftHSM token, verified with OpenSSL against the JWK the token gives:
// RSA-2048 (both mechanisms), P-256, P-384, keys imported from OpenSSL, 8 threads at once,
// re-login after a forced logout, and CKA_ALWAYS_AUTHENTICATE keys.
#include "softhsm_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

using namespace lacme;
using namespace lacme::pkcs11;
using namespace lacme::pkcs11::test;

namespace {

const std::string pin_uri = "pkcs11:token=acme;object=account;type=private?pin-value=1234";

std::string input(int i)
{
    return "eyJhbGciOiJFUzI1NiIsIm5vbmNlIjoibiIsInVybCI6InUifQ." + base64url_encode(std::to_string(i));
}

void expect_verifies(test_signer& signer, int count = 5)
{
    const auto key = public_key_from_jwk(signer.jwk());
    for (int i = 0; i < count; ++i) {
        const auto sig = signer.sign(input(i));
        BOOST_TEST(jws_verify(key.get(), signer.algorithm(), input(i), sig));
        // ...and not for another input.
        BOOST_TEST(!jws_verify(key.get(), signer.algorithm(), input(i + 1), sig));
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pkcs11_signing)

BOOST_AUTO_TEST_CASE(rsa_2048_sha256_rsa_pkcs)
{
    softhsm hsm;
    hsm.generate_rsa(hsm.init_token("acme"), {"account", {0x01}});
    hsm.release_module();
    test_signer signer(pin_uri, test_options());
    BOOST_TEST(signer.algorithm() == jws_algorithm::rs256);
    BOOST_TEST(signer.key().mechanism() == CKM_SHA256_RSA_PKCS);
    BOOST_TEST(signer.jwk().at("kty") == "RSA");
    BOOST_TEST(base64url_decode(signer.jwk().at("n").get<std::string>())->size() == 256u);
    BOOST_TEST(signer.sign(input(0)).size() == 256u);
    expect_verifies(signer);
}

BOOST_AUTO_TEST_CASE(rsa_fallback_over_digest_info)
{
    softhsm hsm;
    hsm.generate_rsa(hsm.init_token("acme"), {"account", {0x01}});
    hsm.release_module();
    auto o = test_options();
    o.key.rsa = rsa_mechanism::rsa_pkcs;
    test_signer signer(pin_uri, o);
    BOOST_TEST(signer.key().mechanism() == CKM_RSA_PKCS);
    expect_verifies(signer);
}

BOOST_AUTO_TEST_CASE(ecdsa_p256_and_p384_raw_r_s)
{
    softhsm hsm;
    const auto slot = hsm.init_token("acme");
    hsm.generate_ec(slot, {"p256", {0x02}}, "P-256");
    hsm.generate_ec(slot, {"p384", {0x03}}, "P-384");
    hsm.release_module();
    {
        test_signer signer("pkcs11:token=acme;object=p256?pin-value=1234", test_options());
        BOOST_TEST(signer.algorithm() == jws_algorithm::es256);
        BOOST_TEST(signer.jwk().at("crv") == "P-256");
        BOOST_TEST(signer.sign(input(0)).size() == 64u);
        expect_verifies(signer);
    }
    {
        test_signer signer("pkcs11:token=acme;id=%03?pin-value=1234", test_options());
        BOOST_TEST(signer.algorithm() == jws_algorithm::es384);
        BOOST_TEST(signer.jwk().at("crv") == "P-384");
        BOOST_TEST(signer.sign(input(0)).size() == 96u);
        expect_verifies(signer);
    }
}

BOOST_AUTO_TEST_CASE(jwk_matches_openssl_for_imported_keys)
{
    softhsm hsm;
    const auto slot = hsm.init_token("acme");
    std::vector<evp_pkey_ptr> keys;
    keys.emplace_back(EVP_RSA_gen(2048));
    keys.emplace_back(EVP_EC_gen("P-256"));
    keys.emplace_back(EVP_EC_gen("P-384"));
    for (std::size_t i = 0; i < keys.size(); ++i)
        hsm.import_key(slot, {"imported" + std::to_string(i), {static_cast<std::uint8_t>(0x10 + i)}}, keys[i].get());
    hsm.release_module();
    for (std::size_t i = 0; i < keys.size(); ++i) {
        test_signer signer("pkcs11:token=acme;object=imported" + std::to_string(i) + "?pin-value=1234", test_options());
        const auto expected = account_public_key_from(keys[i].get());
        BOOST_TEST(canonical_json(signer.jwk()) == canonical_json(expected.jwk));
        BOOST_TEST(jwk_thumbprint(signer.jwk()) == jwk_thumbprint(expected.jwk));
        BOOST_TEST(signer.algorithm() == expected.alg);
        // Verified with the original OpenSSL key, not only the JWK.
        const auto sig = signer.sign(input(7));
        BOOST_TEST(jws_verify(keys[i].get(), expected.alg, input(7), sig));
    }
}

BOOST_AUTO_TEST_CASE(jwk_from_certificate_or_private_key_without_public_object)
{
    // PIV-style tokens may hold a private key and a certificate, but no public key object.
    softhsm hsm;
    const auto slot = hsm.init_token("acme");
    const evp_pkey_ptr ec(EVP_EC_gen("P-384"));
    const evp_pkey_ptr rsa(EVP_RSA_gen(2048));
    hsm.import_key(slot, {"ec", {0x21}}, ec.get(), false);
    hsm.import_certificate(slot, {"ec", {0x21}}, ec.get());
    hsm.import_key(slot, {"rsa", {0x22}}, rsa.get(), false);  // RSA: the private key's n and e
    hsm.import_key(slot, {"lonely", {0x23}}, ec.get(), false);  // EC, nothing to read the point from
    hsm.release_module();
    for (const auto& [label, key] : {std::pair{"ec", ec.get()}, std::pair{"rsa", rsa.get()}}) {
        test_signer signer(std::string("pkcs11:token=acme;object=") + label + "?pin-value=1234", test_options());
        BOOST_TEST(canonical_json(signer.jwk()) == canonical_json(account_public_key_from(key).jwk), label);
        BOOST_TEST(jws_verify(key, signer.algorithm(), input(3), signer.sign(input(3))), label);
    }
    const std::string message =
        error_message([] { test_signer("pkcs11:token=acme;object=lonely?pin-value=1234", test_options()); });
    BOOST_TEST(message.find("no public key found on the token") != std::string::npos, message);
}

BOOST_FIXTURE_TEST_CASE(eight_threads_500_signatures_each, token_with_p256_key)
{
    test_signer signer(pin_uri, test_options());
    const auto key = public_key_from_jwk(signer.jwk());
    std::atomic<int> good{0}, bad{0}, failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 500; ++i) {
                const std::string in = input(t * 1000 + i);
                try {
                    const auto sig = signer.sign(in);
                    (jws_verify(key.get(), jws_algorithm::es256, in, sig) ? good : bad)++;
                } catch (const std::exception&) {
                    failed++;
                }
            }
        });
    for (auto& th : threads)
        th.join();
    BOOST_TEST(good.load() == 4000);
    BOOST_TEST(bad.load() == 0);
    BOOST_TEST(failed.load() == 0);
}

BOOST_AUTO_TEST_CASE(rsa_concurrent_signatures_verify)
{
    softhsm hsm;
    hsm.generate_rsa(hsm.init_token("acme"), {"account", {0x01}});
    hsm.release_module();
    test_signer signer(pin_uri, test_options());
    const auto key = public_key_from_jwk(signer.jwk());
    std::atomic<int> good{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 40; ++i) {
                const std::string in = input(t * 1000 + i);
                if (jws_verify(key.get(), jws_algorithm::rs256, in, signer.sign(in)))
                    good++;
            }
        });
    for (auto& th : threads)
        th.join();
    BOOST_TEST(good.load() == 320);
}

BOOST_FIXTURE_TEST_CASE(relogin_after_forced_logout, token_with_p256_key)
{
    test_signer signer(pin_uri, test_options());
    expect_verifies(signer, 2);
    BOOST_TEST(signer.key().reconnects() == 0u);

    // Another handle on the same module closes every session of this application on the slot,
    // which also logs the token out.
    module other(softhsm_module);
    check(other.functions()->C_CloseAllSessions(signer.key().slot()), "C_CloseAllSessions");
    expect_verifies(signer, 2);
    BOOST_TEST(signer.key().reconnects() == 1u);

    // Twice in a row works too, and the private key really was behind a login.
    check(other.functions()->C_CloseAllSessions(signer.key().slot()), "C_CloseAllSessions");
    expect_verifies(signer, 1);
    BOOST_TEST(signer.key().reconnects() == 2u);
}

BOOST_FIXTURE_TEST_CASE(relogin_while_threads_sign, token_with_p256_key)
{
    test_signer signer(pin_uri, test_options());
    const auto key = public_key_from_jwk(signer.jwk());
    module other(softhsm_module);
    constexpr int thread_count = 4, logout_count = 5;
    // Logouts done so far, and per thread the count seen when its last finished sign() began.
    std::atomic<int> logouts{0};
    std::array<std::atomic<int>, thread_count> finished_after;
    for (auto& f : finished_after)
        f = -1;
    std::atomic<int> good{0}, failed{0};
    std::atomic<bool> stop{false};
    std::mutex messages_mutex;
    std::vector<std::string> messages;
    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; !stop; ++i) {
                const int seen = logouts;
                const std::string in = input(t * 100000 + i);
                try {
                    if (jws_verify(key.get(), jws_algorithm::es256, in, signer.sign(in)))
                        good++;
                } catch (const std::exception& e) {
                    const std::lock_guard lock(messages_mutex);
                    messages.emplace_back(e.what());
                    failed++;
                }
                finished_after[static_cast<std::size_t>(t)] = seen;
            }
        });
    // C_Logout from another session of this application logs every session out. (Closing
    // sessions under a running C_Sign would crash SoftHSM; a logout is what a real token does.)
    // The next logout waits until every thread finished a sign() begun after this one: then no
    // sign(), retry included, meets two logouts, however the threads are scheduled.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (int round = 1; round <= logout_count; ++round) {
        CK_SESSION_HANDLE h;
        check(other.functions()->C_OpenSession(signer.key().slot(), CKF_SERIAL_SESSION, nullptr, nullptr, &h),
              "C_OpenSession");
        check(other.functions()->C_Logout(h), "C_Logout");
        other.functions()->C_CloseSession(h);
        logouts = round;
        while (std::any_of(finished_after.begin(), finished_after.end(), [&](const auto& f) { return f < round; }) &&
               std::chrono::steady_clock::now() < give_up)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    stop = true;
    for (auto& th : threads)
        th.join();
    BOOST_TEST_MESSAGE("signatures: " << good.load() << " good, " << failed.load() << " failed, "
                                      << signer.key().reconnects() << " reconnects");
    for (const auto& m : messages)
        BOOST_TEST_MESSAGE("failure: " << m);
    const bool in_time = std::chrono::steady_clock::now() < give_up;
    BOOST_TEST(in_time);  // every thread kept signing
    BOOST_TEST(good.load() > 0);
    // Every signature caught by a logout is retried once after re-login.
    BOOST_TEST(failed.load() == 0);
    BOOST_TEST(signer.key().reconnects() >= 1u);
    expect_verifies(signer, 1);
}

BOOST_AUTO_TEST_CASE(always_authenticate_key)
{
    softhsm hsm;
    const auto slot = hsm.init_token("acme");
    hsm.generate_ec(slot, {"account", {0x09, 0xc0}, true}, "P-256");
    hsm.generate_rsa(slot, {"rsa9c", {0x9c}, true});
    {
        // The test is meaningful only if SoftHSM enforces the attribute: a plain C_Sign fails.
        admin_session s(hsm.mod(), slot);
        CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
        CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, const_cast<char*>("account"), 7}};
        CK_OBJECT_HANDLE key;
        CK_ULONG n = 0;
        check(s.fn->C_FindObjectsInit(s.h, tmpl, 2), "C_FindObjectsInit");
        check(s.fn->C_FindObjects(s.h, &key, 1, &n), "C_FindObjects");
        s.fn->C_FindObjectsFinal(s.h);
        BOOST_REQUIRE(n == 1u);
        CK_MECHANISM m{CKM_ECDSA, nullptr, 0};
        check(s.fn->C_SignInit(s.h, &m, key), "C_SignInit");
        CK_BYTE digest[32] = {1}, sig[64];
        CK_ULONG len = sizeof sig;
        BOOST_TEST(s.fn->C_Sign(s.h, digest, sizeof digest, sig, &len) == CKR_USER_NOT_LOGGED_IN);
    }
    hsm.release_module();
    {
        test_signer signer(pin_uri, test_options());
        BOOST_TEST(signer.key().always_authenticate());
        expect_verifies(signer, 3);
    }
    {
        test_signer signer("pkcs11:token=acme;object=rsa9c?pin-value=1234", test_options());
        BOOST_TEST(signer.key().always_authenticate());
        expect_verifies(signer, 2);
    }
}

BOOST_FIXTURE_TEST_CASE(token_removed_mid_run, token_with_p256_key)
{
    test_signer signer(pin_uri, test_options());
    expect_verifies(signer, 1);
    // The token directory disappears (as when a device is unplugged) and the sessions go.
    std::filesystem::remove_all(hsm.dir() / "tokens");
    std::filesystem::create_directory(hsm.dir() / "tokens");
    module other(softhsm_module);
    other.functions()->C_CloseAllSessions(signer.key().slot());
    const std::string message = error_message([&] { (void)signer.sign(input(1)); });
    BOOST_TEST(message.find('\n') == std::string::npos);
    BOOST_TEST(message.find("no token matches") != std::string::npos, message);
}

BOOST_AUTO_TEST_SUITE_END()
