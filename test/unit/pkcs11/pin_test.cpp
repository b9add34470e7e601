// SPDX-License-Identifier: GPL-3.0-or-later
// PIN sources (URI pin-value, URI pin-source, pin file), a wrong PIN reported once and never
// retried, and a missing PIN. (The terminal prompt is common's: test/unit/common/secret_input_test.cpp.)
#include "pkcs11/pin_policy.hpp"
#include "pkcs11/pin_rejections.hpp"
#include "pkcs11/pin_source.hpp"
#include "softhsm_fixture.hpp"
#include "test/support/temp_dir.hpp"

#include <cstring>

#include <boost/test/unit_test.hpp>

using namespace lacme;
using namespace lacme::pkcs11;
using namespace lacme::pkcs11::test;

BOOST_FIXTURE_TEST_SUITE(pkcs11_pin, token_with_p256_key)

BOOST_AUTO_TEST_CASE(pin_from_uri_value)
{
    test_signer signer("pkcs11:token=acme;object=account?pin-value=1234", test_options());
    BOOST_TEST(signer.sign("a.b").size() == 64u);
}

BOOST_AUTO_TEST_CASE(pin_from_uri_source_and_pin_file)
{
    write_file(hsm.dir() / "pin", "1234\n");
    const std::string path = (hsm.dir() / "pin").string();
    {
        test_signer signer("pkcs11:token=acme;object=account?pin-source=file:" + path, test_options());
        BOOST_TEST(signer.sign("a.b").size() == 64u);
    }
    {
        test_signer signer("pkcs11:token=acme;object=account?pin-source=" + path, test_options());
        BOOST_TEST(signer.sign("a.b").size() == 64u);
    }
    {
        std::vector<std::string> warnings;
        auto o = test_options();
        o.key.pin_file = path;
        o.key.warn = [&](std::string_view w) { warnings.emplace_back(w); };
        std::filesystem::permissions(path, std::filesystem::perms(0644));
        test_signer signer("pkcs11:token=acme;object=account", o);
        BOOST_TEST(signer.sign("a.b").size() == 64u);
        BOOST_REQUIRE(warnings.size() == 1u);
        BOOST_TEST(contains(warnings.front(), "readable by group or others"), warnings.front());
        BOOST_TEST(!contains(warnings.front(), "1234"));
    }
    // The URI wins over the pin file.
    write_file(hsm.dir() / "wrong", "9999\n");
    auto o = test_options();
    o.key.pin_file = (hsm.dir() / "wrong").string();
    test_signer signer("pkcs11:token=acme;object=account?pin-value=1234", o);
    BOOST_TEST(signer.sign("a.b").size() == 64u);
}

BOOST_AUTO_TEST_CASE(pin_file_errors)
{
    auto o = test_options();
    o.key.pin_file = (hsm.dir() / "missing").string();
    const auto missing = error_message([&] { test_signer("pkcs11:token=acme;object=account", o); });
    BOOST_TEST(contains(missing, "can't open " + o.key.pin_file), missing);
    write_file(hsm.dir() / "empty", "");
    o.key.pin_file = (hsm.dir() / "empty").string();
    BOOST_TEST(contains(error_message([&] { test_signer("pkcs11:token=acme;object=account", o); }), "is empty"));
    BOOST_TEST(contains(error_message([] { (void)read_pin_source("https://example/pin"); }), "only file:"));
}

BOOST_AUTO_TEST_CASE(no_pin_source_is_a_clear_error)
{
    const auto message = error_message([] { test_signer("pkcs11:token=acme;object=account", test_options()); });
    BOOST_TEST(contains(message, "needs a PIN"), message);
    BOOST_TEST(contains(message, "pin-source"), message);
}

BOOST_AUTO_TEST_CASE(wrong_pin_reported_once_never_retried)
{
    const auto message =
        error_message([] { test_signer("pkcs11:token=acme;object=account?pin-value=0000", test_options()); });
    BOOST_TEST(contains(message, "CKR_PIN_INCORRECT"), message);
    BOOST_TEST(contains(message, "not retried"), message);
    BOOST_TEST(!contains(message, "0000"), message);  // the PIN itself never appears
    BOOST_TEST(!contains(message, "\n"));

    // A PIN that stops working later (changed on the token, then a logout): the re-login fails
    // once and the key refuses every later signature without offering the PIN again.
    test_signer signer("pkcs11:token=acme;object=account?pin-value=1234", test_options());
    BOOST_TEST(signer.sign("a.b").size() == 64u);
    module other(softhsm_module);
    {
        admin_session s(other, signer.key().slot());
        const std::string new_pin = "5678";
        check(s.fn->C_SetPIN(s.h, utf8(user_pin), user_pin.size(), utf8(new_pin), new_pin.size()), "C_SetPIN");
    }
    check(other.functions()->C_CloseAllSessions(signer.key().slot()), "C_CloseAllSessions");
    const auto first = error_message([&] { (void)signer.sign("a.b"); });
    BOOST_TEST(contains(first, "CKR_PIN_INCORRECT"), first);
    const auto reconnects = signer.key().reconnects();
    const auto second = error_message([&] { (void)signer.sign("a.b"); });
    BOOST_TEST(contains(second, "CKR_PIN_INCORRECT"), second);
    BOOST_TEST(signer.key().reconnects() == reconnects);  // no new login attempt
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

CK_TOKEN_INFO token_named(const char* manufacturer, const char* label, CK_FLAGS flags = 0)
{
    CK_TOKEN_INFO t{};
    std::memset(&t, ' ', sizeof t);
    std::memcpy(t.manufacturerID, manufacturer, std::strlen(manufacturer));
    std::memcpy(t.label, label, std::strlen(label));
    t.flags = flags;
    return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pkcs11_pin_policy)

BOOST_AUTO_TEST_CASE(piv_tokens_are_unblocked_with_the_puk)
{
    const auto ykcs11 = token_named("Yubico (www.yubico.com)", "YubiKey PIV #12345678", CKF_USER_PIN_LOCKED);
    const auto opensc = token_named("piv_II", "PIV_II (PIV Card Holder pin)", CKF_USER_PIN_LOCKED);
    const auto softhsm = token_named("SoftHSM project", "acme", CKF_USER_PIN_LOCKED);
    BOOST_TEST(is_piv(ykcs11));
    BOOST_TEST(is_piv(opensc));
    BOOST_TEST(!is_piv(softhsm));
    BOOST_TEST(pin_flags_text(ykcs11) == "the user PIN is now LOCKED (unblock it with the PUK)");
    BOOST_TEST(pin_flags_text(softhsm) == "the user PIN is now LOCKED (unlock it with the SO PIN)");
    const pin_policy policy(pin_settings{});
    const auto locked = error_message([&] { policy.check_token({0, ykcs11}); });
    BOOST_TEST(contains(locked, "the user PIN is locked (unblock it with the PUK)"), locked);
    BOOST_TEST(!contains(locked, "SO PIN"), locked);
}

BOOST_AUTO_TEST_CASE(rejections_are_kept_by_serial_and_keyed_hash)
{
    const lacme::test::temp_dir dir;
    const pin_rejections r(dir.file("state"));
    const secret_string wrong(std::string("0000")), other(std::string("1111"));
    BOOST_TEST(!r.contains("12345678", wrong));  // no directory yet: nothing remembered
    r.add("12345678", wrong);
    r.add("12345678", wrong);  // once only
    BOOST_TEST(r.contains("12345678", wrong));
    BOOST_TEST(!r.contains("12345678", other));
    BOOST_TEST(!r.contains("87654321", wrong));
    // Another host (another key) cannot tell which PIN a line is for.
    const pin_rejections copy(dir.file("copy"));
    copy.add("12345678", wrong);
    const std::string line_a = lacme::test::read_file(r.file()), line_b = lacme::test::read_file(copy.file());
    BOOST_TEST(std::count(line_a.begin(), line_a.end(), '\n') == 1);
    BOOST_TEST(line_a != line_b);
    BOOST_TEST(line_a.starts_with("3132333435363738 "), line_a);  // the serial, hex
    r.remove("87654321");
    BOOST_TEST(r.contains("12345678", wrong));
    r.remove("12345678");
    BOOST_TEST(!r.contains("12345678", wrong));
}

BOOST_AUTO_TEST_CASE(a_pin_is_not_offered_when_its_rejection_could_not_be_recorded)
{
    const lacme::test::temp_dir dir;
    // A state directory that does not exist yet but can be created is fine, and is not created
    // by the check: a run whose PINs all pass leaves nothing behind.
    const pin_rejections later(dir.file("cache/lacme-accountd"));
    later.check_writable();
    BOOST_TEST(dir.entries().empty());
    // Under a regular file (as under a home directory that does not exist) it cannot be made,
    // even by root: the policy refuses to spend one of the token's tries.
    lacme::test::write_file(dir.file("not-a-directory"), "");
    const std::string state = dir.file("not-a-directory/lacme-accountd");
    const auto message = error_message([&] { pin_rejections(state).check_writable(); });
    BOOST_TEST(contains(message, "can't write in " + dir.file("not-a-directory") + " to create " + state), message);
    pin_settings settings;
    settings.state_dir = state;
    const pin_policy policy(settings);
    const secret_string pin(std::string("1234"));
    const auto refused = error_message([&] { policy.check_pin({0, token_named("SoftHSM project", "acme")}, pin); });
    BOOST_TEST(contains(refused, "cannot keep the record of rejected PINs"), refused);
    BOOST_TEST(contains(refused, "not offering the PIN (set pin-state-dir"), refused);
    BOOST_TEST(!contains(refused, "1234"), refused);
}

BOOST_AUTO_TEST_SUITE_END()
