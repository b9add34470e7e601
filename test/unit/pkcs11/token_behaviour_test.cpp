// SPDX-License-Identifier: GPL-3.0-or-later
// Token behaviours SoftHSM cannot show by itself, through a forwarding test module (shim/): a
// locked PIN, the final try, a PIN pad (protected authentication path), a reader whose
// C_GetSlotList fails (ykcs11 without pcscd), a device removed in the middle of a signature, a
// touch that did not come, one context-specific login per signature for CKA_ALWAYS_AUTHENTICATE
// keys (atomic, as ykcs11 keeps one authorisation per card) and for keys that need it unflagged,
// and rejected PINs remembered across runs.
#include "pkcs11/list_keys.hpp"
#include "pkcs11/pin_source.hpp"
#include "softhsm_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <sys/stat.h>

#include <fstream>
#include <thread>
#include <sstream>

using namespace lacme;
using namespace lacme::pkcs11;
using namespace lacme::pkcs11::test;

namespace {

std::string hex(unsigned long v)
{
    std::ostringstream out;
    out << std::hex << v;
    return out.str();
}

struct shim_token {
    softhsm hsm;
    std::filesystem::path logins;
    std::vector<std::string> warnings;
    shim_token()
    {
        const auto slot = hsm.init_token("acme");
        hsm.generate_ec(slot, {"account", {0x02}}, "P-256");
        hsm.generate_ec(slot, {"always", {0x9c}, true}, "P-256");
        hsm.release_module();
        logins = hsm.dir() / "logins";
        ::setenv("LACME_SHIM_LOGINS_FILE", logins.c_str(), 1);
    }
    ~shim_token()
    {
        for (const char* v :
             {"LACME_SHIM_TOKEN_FLAGS", "LACME_SHIM_PINPAD_PIN", "LACME_SHIM_SLOTLIST_RV", "LACME_SHIM_FAIL_SIGN_FILE",
              "LACME_SHIM_LOGINS_FILE", "LACME_SHIM_MAX_SESSIONS", "LACME_SHIM_REJECT_LOGIN", "LACME_SHIM_FAIL_SIGN_RV",
              "LACME_SHIM_ONE_AUTH", "LACME_SHIM_HIDE_ALWAYS_AUTH"})
            ::unsetenv(v);
    }
    load_options options()
    {
        load_options o;
        o.module = LACME_P11_TEST_SHIM;
        o.key.allow_prompt = false;
        o.key.warn = [this](std::string_view w) { warnings.emplace_back(w); };
        return o;
    }
    std::string login_log() const
    {
        std::ifstream in(logins);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
};

// Signatures made by `threads` threads at once, `each` per thread, that verify (ES256 keys).
int verified_signatures_from_threads(test_signer& signer, int threads, int each)
{
    const auto key = public_key_from_jwk(signer.jwk());
    std::atomic<int> good{0};
    std::vector<std::thread> running;
    for (int t = 0; t < threads; ++t)
        running.emplace_back([&, t] {
            for (int i = 0; i < each; ++i) {
                const std::string in = "a." + std::to_string(t * 1000 + i);
                try {
                    if (jws_verify(key.get(), jws_algorithm::es256, in, signer.sign(in)))
                        good++;
                } catch (const std::exception& e) {
                    BOOST_TEST_MESSAGE("failure: " << e.what());
                }
            }
        });
    for (auto& th : running)
        th.join();
    return good.load();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(pkcs11_token_behaviour, shim_token)

BOOST_AUTO_TEST_CASE(shim_forwards_to_softhsm)
{
    test_signer signer("pkcs11:token=acme;object=account?pin-value=1234", options());
    const auto key = public_key_from_jwk(signer.jwk());
    BOOST_TEST(jws_verify(key.get(), jws_algorithm::es256, "a.b", signer.sign("a.b")));
    BOOST_TEST(login_log() == "1 pin\n");
}

BOOST_AUTO_TEST_CASE(locked_pin_is_reported_without_trying)
{
    ::setenv("LACME_SHIM_TOKEN_FLAGS", hex(CKF_USER_PIN_LOCKED).c_str(), 1);
    const auto message =
        error_message([this] { test_signer("pkcs11:token=acme;object=account?pin-value=1234", options()); });
    BOOST_TEST(contains(message, "the user PIN is locked"), message);
    BOOST_TEST(login_log().empty());  // no C_Login at all: it could only make things worse
}

BOOST_AUTO_TEST_CASE(final_try_is_refused_unless_allowed)
{
    ::setenv("LACME_SHIM_TOKEN_FLAGS", hex(CKF_USER_PIN_FINAL_TRY).c_str(), 1);
    const std::string u = "pkcs11:token=acme;object=account?pin-value=0000";
    const auto refused = error_message([&] { test_signer(u, options()); });
    BOOST_TEST(contains(refused, "one more wrong PIN will lock it (CKF_USER_PIN_FINAL_TRY); not logging in"), refused);
    BOOST_TEST(contains(refused, "--allow-final-pin-try"), refused);
    BOOST_TEST(login_log().empty());

    auto allowed = options();
    allowed.key.pins.allow_final_try = true;
    const auto message = error_message([&] { test_signer(u, allowed); });
    BOOST_TEST(contains(message, "CKR_PIN_INCORRECT; not retried; one more wrong PIN will lock the token"), message);
    BOOST_REQUIRE(warnings.size() == 1u);
    BOOST_TEST(contains(warnings.front(), "one more wrong PIN will lock the token"), warnings.front());
    BOOST_TEST(login_log() == "1 pin\n");
}

BOOST_AUTO_TEST_CASE(rejected_pin_is_remembered_across_runs)
{
    auto o = options();
    const auto state = hsm.dir() / "state";
    o.key.pins.state_dir = state.string();
    o.key.pin_file = (hsm.dir() / "pin").string();
    write_file(o.key.pin_file, "0000\n");
    const std::string u = "pkcs11:token=acme;object=account";
    const std::string file = (state / "pin-rejections").string();
    // Each test_signer is one accountd run (what a run knows of the earlier ones is in the file).
    const auto first = error_message([&] { test_signer(u, o); });
    BOOST_TEST(contains(first, "C_Login: CKR_PIN_INCORRECT; not retried; recorded in " + file), first);
    for (int run = 2; run <= 3; ++run) {
        const auto later = error_message([&] { test_signer(u, o); });
        BOOST_TEST(contains(later, "rejected this PIN before (recorded in " + file + "); not offering it again"),
                   later);
        BOOST_TEST(contains(later, "or delete " + file), later);
    }
    BOOST_TEST(login_log() == "1 pin\n");  // three runs, one wrong PIN offered once
    struct stat st {};
    BOOST_TEST((::stat(state.c_str(), &st) == 0 && (st.st_mode & 07777) == 0700));
    BOOST_TEST((::stat(file.c_str(), &st) == 0 && (st.st_mode & 07777) == 0600));
    BOOST_TEST((::stat((file + ".key").c_str(), &st) == 0 && (st.st_mode & 07777) == 0600 && st.st_size == 32));
    std::ifstream in(file);
    const std::string recorded(std::istreambuf_iterator<char>(in), {});
    BOOST_TEST(std::count(recorded.begin(), recorded.end(), '\n') == 1);
    BOOST_TEST(!contains(recorded, "0000"), recorded);

    // The PIN file changed: the new PIN is offered, accepted, and the old rejection forgotten.
    write_file(o.key.pin_file, "1234\n");
    test_signer signer(u, o);
    BOOST_TEST(signer.sign("a.b").size() == 64u);
    BOOST_TEST(login_log() == "1 pin\n1 pin\n");
    std::ifstream after(file);
    BOOST_TEST(std::string(std::istreambuf_iterator<char>(after), {}).empty());
}

BOOST_AUTO_TEST_CASE(protected_authentication_path)
{
    ::setenv("LACME_SHIM_TOKEN_FLAGS", hex(CKF_PROTECTED_AUTHENTICATION_PATH).c_str(), 1);
    ::setenv("LACME_SHIM_PINPAD_PIN", "1234", 1);
    {
        // No PIN anywhere: the PIN pad is used (C_Login with no PIN).
        test_signer signer("pkcs11:token=acme;object=account", options());
        BOOST_TEST(signer.sign("a.b").size() == 64u);
        BOOST_TEST(login_log() == "1 pinpad\n");
    }
    std::filesystem::remove(logins);
    {
        // ...also for the per-signature login of an always-authenticate key.
        test_signer signer("pkcs11:token=acme;object=always", options());
        BOOST_TEST(signer.sign("a.b").size() == 64u);
        BOOST_TEST(login_log() == "1 pinpad\n2 pinpad\n");
    }
}

BOOST_AUTO_TEST_CASE(slot_list_device_error_means_no_token)
{
    ::setenv("LACME_SHIM_SLOTLIST_RV", hex(CKR_DEVICE_ERROR).c_str(), 1);
    const auto message =
        error_message([this] { test_signer("pkcs11:token=acme;object=account?pin-value=1234", options()); });
    BOOST_TEST(contains(message, "no PKCS#11 token reachable"), message);
    BOOST_TEST(contains(message, "CKR_DEVICE_ERROR; is pcscd running"), message);
}

BOOST_AUTO_TEST_CASE(device_removed_during_sign_reopens_and_retries_once)
{
    test_signer signer("pkcs11:token=acme;object=account?pin-value=1234", options());
    const auto key = public_key_from_jwk(signer.jwk());
    const auto trigger = hsm.dir() / "fail-sign";
    ::setenv("LACME_SHIM_FAIL_SIGN_FILE", trigger.c_str(), 1);
    write_file(trigger, "");
    BOOST_TEST(jws_verify(key.get(), jws_algorithm::es256, "a.b", signer.sign("a.b")));
    BOOST_TEST(!std::filesystem::exists(trigger));  // the failure did happen
    BOOST_TEST(signer.key().reconnects() == 1u);
    BOOST_TEST(login_log() == "1 pin\n1 pin\n");  // logged in again on the new sessions
    BOOST_REQUIRE(warnings.size() == 1u);  // the operator learns about it
    BOOST_TEST(contains(warnings.front(), "C_Sign: CKR_DEVICE_REMOVED; re-opening sessions"), warnings.front());
}

BOOST_AUTO_TEST_CASE(single_session_token_serialises_signatures)
{
    ::setenv("LACME_SHIM_MAX_SESSIONS", "1", 1);
    test_signer signer("pkcs11:token=acme;object=account?pin-value=1234", options());
    BOOST_TEST(verified_signatures_from_threads(signer, 4, 50) == 200);
    BOOST_TEST(signer.key().reconnects() == 0u);
    BOOST_TEST(login_log() == "1 pin\n");
}

BOOST_AUTO_TEST_CASE(context_login_after_every_sign_init)
{
    test_signer signer("pkcs11:token=acme;object=always?pin-value=1234", options());
    for (int i = 0; i < 3; ++i)
        BOOST_TEST(signer.sign("a.b").size() == 64u);
    BOOST_TEST(login_log() == "1 pin\n2 pin\n2 pin\n2 pin\n");
}

// Signing requests from several accountd connections at once (they share one key): every one
// fails, each with the token's answer.
std::vector<std::string> sign_from_threads(test_signer& signer, int requests)
{
    std::vector<std::string> errors(static_cast<std::size_t>(requests));
    std::vector<std::thread> threads;
    for (auto& e : errors)
        threads.emplace_back([&signer, &e] { e = error_message([&] { (void)signer.sign("a.b"); }); });
    for (auto& th : threads)
        th.join();
    return errors;
}

BOOST_AUTO_TEST_CASE(always_authenticate_signatures_are_atomic)
{
    // One authorisation per card, as ykcs11: a login between another session's login and its
    // C_Sign would make that C_Sign fail.
    ::setenv("LACME_SHIM_ONE_AUTH", "1", 1);
    test_signer signer("pkcs11:token=acme;object=always?pin-value=1234", options());
    BOOST_TEST(verified_signatures_from_threads(signer, 4, 20) == 80);
    BOOST_TEST(signer.key().reconnects() == 0u);
    std::string expected = "1 pin\n";
    for (int i = 0; i < 80; ++i)
        expected += "2 pin\n";
    BOOST_TEST(login_log() == expected);  // one login per signature, none retried
}

BOOST_AUTO_TEST_CASE(unflagged_always_pin_policy_key_logs_in_per_signature)
{
    // ykcs11's 9a key generated with PIN policy "always": not flagged, yet each C_Sign needs it.
    ::setenv("LACME_SHIM_HIDE_ALWAYS_AUTH", "1", 1);
    test_signer signer("pkcs11:token=acme;object=always?pin-value=1234", options());
    BOOST_TEST(!signer.key().always_authenticate());
    const auto key = public_key_from_jwk(signer.jwk());
    BOOST_TEST(jws_verify(key.get(), jws_algorithm::es256, "a.b", signer.sign("a.b")));
    BOOST_TEST(signer.key().always_authenticate());
    BOOST_TEST(login_log() == "1 pin\n2 pin\n");
    // Learned: the next signature logs in first, without a failed C_Sign.
    BOOST_TEST(jws_verify(key.get(), jws_algorithm::es256, "a.c", signer.sign("a.c")));
    BOOST_TEST(login_log() == "1 pin\n2 pin\n2 pin\n");
    BOOST_TEST(signer.key().reconnects() == 0u);
    BOOST_REQUIRE(warnings.size() == 1u);
    BOOST_TEST(contains(warnings.front(), "needs a login for every signature"), warnings.front());
}

BOOST_AUTO_TEST_CASE(unflagged_key_never_retries_a_rejected_context_pin)
{
    ::setenv("LACME_SHIM_HIDE_ALWAYS_AUTH", "1", 1);
    test_signer signer("pkcs11:token=acme;object=always?pin-value=1234", options());
    ::setenv("LACME_SHIM_REJECT_LOGIN", std::to_string(CKU_CONTEXT_SPECIFIC).c_str(), 1);
    for (int request = 0; request < 3; ++request) {
        const auto e = error_message([&] { (void)signer.sign("a.b"); });
        BOOST_TEST(contains(e, "CKR_PIN_INCORRECT; not retried"), e);
    }
    BOOST_TEST(login_log() == "1 pin\n2 pin\n");
}

BOOST_AUTO_TEST_CASE(touch_timeout_is_reported_once_without_reconnecting)
{
    test_signer signer("pkcs11:token=acme;object=account?pin-value=1234", options());
    const auto trigger = hsm.dir() / "fail-sign";
    ::setenv("LACME_SHIM_FAIL_SIGN_FILE", trigger.c_str(), 1);
    ::setenv("LACME_SHIM_FAIL_SIGN_RV", hex(CKR_DEVICE_ERROR).c_str(), 1);
    write_file(trigger, "");
    const auto e = error_message([&] { (void)signer.sign("a.b"); });
    BOOST_TEST(contains(e, "C_Sign: CKR_DEVICE_ERROR on token 'acme'"), e);
    BOOST_TEST(contains(e, "touch the key"), e);
    BOOST_TEST(!std::filesystem::exists(trigger));
    BOOST_TEST(signer.key().reconnects() == 0u);  // no second wait for a touch
    BOOST_TEST(login_log() == "1 pin\n");
    BOOST_TEST(warnings.empty());
    BOOST_TEST(signer.sign("a.b").size() == 64u);  // touched next time
}

BOOST_AUTO_TEST_CASE(rejected_context_specific_pin_is_never_offered_again)
{
    test_signer signer("pkcs11:token=acme;object=always?pin-value=1234", options());
    ::setenv("LACME_SHIM_REJECT_LOGIN", std::to_string(CKU_CONTEXT_SPECIFIC).c_str(), 1);
    for (const auto& e : sign_from_threads(signer, 4)) {
        BOOST_TEST(contains(e, "CKR_PIN_INCORRECT"), e);
        BOOST_TEST(contains(e, "not retried"), e);
    }
    // One user login at start-up, then a single context-specific try: a PIV card blocks after three.
    BOOST_TEST(login_log() == "1 pin\n2 pin\n");
}

BOOST_AUTO_TEST_CASE(rejected_pin_on_relogin_is_never_offered_again)
{
    test_signer signer("pkcs11:token=acme;object=account?pin-value=1234", options());
    BOOST_TEST(signer.sign("a.b").size() == 64u);
    // The token goes away and comes back with another PIN: the re-login is rejected.
    const auto trigger = hsm.dir() / "fail-sign";
    ::setenv("LACME_SHIM_FAIL_SIGN_FILE", trigger.c_str(), 1);
    ::setenv("LACME_SHIM_REJECT_LOGIN", std::to_string(CKU_USER).c_str(), 1);
    write_file(trigger, "");
    // One request at a time: the first meets the failure (then the refused re-login); in
    // parallel, others could still sign on the old sessions before it.
    for (int request = 0; request < 4; ++request) {
        const auto e = error_message([&] { (void)signer.sign("a.b"); });
        BOOST_TEST(contains(e, "CKR_PIN_INCORRECT; not retried"), e);
    }
    BOOST_TEST(login_log() == "1 pin\n1 pin\n");
    BOOST_TEST(signer.key().reconnects() == 1u);
}

// --list-keys with the configured key's URI and PIN, on two tokens that both need a login.
struct shim_two_tokens : shim_token {
    shim_two_tokens()
    {
        hsm.reload_module();
        hsm.generate_ec(hsm.init_token("other"), {"account", {0x02}}, "P-256");
        hsm.release_module();
    }
    std::string list(const std::string& configured)
    {
        const module m(LACME_P11_TEST_SHIM);
        const uri selection = uri::parse(configured);
        const auto pin = configured_pin(selection, {});
        std::ostringstream out;
        list_keys(m, {.selection = &selection, .pin = pin ? &*pin : nullptr}, out);
        return out.str();
    }
    static std::size_t count(const std::string& haystack, const std::string& needle)
    {
        std::size_t n = 0;
        for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1))
            ++n;
        return n;
    }
};

BOOST_FIXTURE_TEST_CASE(list_keys_logs_in_only_to_the_configured_token, shim_two_tokens)
{
    const std::string out = list("pkcs11:token=acme;object=account?pin-value=1234");
    BOOST_TEST(login_log() == "1 pin\n");  // the other token never saw the PIN
    BOOST_TEST(count(out, "EC P-256 private key [ES256]") == 2u, out);  // acme's, after login
    BOOST_TEST(count(out, "private key not visible without login") == 1u, out);  // other's
}

BOOST_FIXTURE_TEST_CASE(list_keys_never_retries_a_rejected_pin, shim_two_tokens)
{
    ::setenv("LACME_SHIM_REJECT_LOGIN", std::to_string(CKU_USER).c_str(), 1);
    // Selects both tokens: the first refusal ends every login; both are still listed.
    const std::string out = list("pkcs11:object=account?pin-value=0000");
    BOOST_TEST(login_log() == "1 pin\n");
    BOOST_TEST(count(out, "CKR_PIN_INCORRECT; not retried") == 1u, out);
    BOOST_TEST(count(out, "private key not visible without login") == 3u, out);
    BOOST_TEST(out.find("0000") == std::string::npos, out);
}

BOOST_AUTO_TEST_SUITE_END()
