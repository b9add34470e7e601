// SPDX-License-Identifier: GPL-3.0-or-later
// URI parsing and module loading: bad URIs, module resolution, files that are not modules.
#include "pkcs11/error.hpp"
#include "pkcs11/module.hpp"
#include "pkcs11/uri.hpp"
#include "softhsm_fixture.hpp"

#include <boost/test/unit_test.hpp>

using namespace lacme::pkcs11;
using lacme::pkcs11::test::error_message;

BOOST_AUTO_TEST_SUITE(pkcs11_uri_module)

BOOST_AUTO_TEST_CASE(parses_selection_module_and_pin_attributes)
{
    const auto u = uri::parse("pkcs11:token=acme;object=account;type=private;id=%02;slot-id=7"
                              "?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/pin");
    BOOST_TEST(u.module_path() == "/usr/lib/softhsm/libsofthsm2.so");
    BOOST_TEST(u.module_name() == "");
    BOOST_TEST(*u.pin_source() == "file:/run/pin");
    BOOST_TEST(!u.pin_value());
    BOOST_TEST(*u.slot_id() == 7u);
    BOOST_TEST(u.names_token());
    BOOST_TEST(u.object_attributes().size() == 3u);

    const auto v = uri::parse("pkcs11:object=account?pin-value=12%2034&module-name=softhsm2");
    BOOST_TEST(*v.pin_value() == "12 34");
    BOOST_TEST(v.module_name() == "softhsm2");
    BOOST_TEST(!v.names_token());
    BOOST_TEST(!v.slot_id());
}

BOOST_AUTO_TEST_CASE(pin_value_is_redacted_from_text)
{
    const auto u = uri::parse("pkcs11:token=acme?pin-value=s3cret&module-name=softhsm2");
    BOOST_TEST(*u.pin_value() == "s3cret");
    BOOST_TEST(u.text() == "pkcs11:token=acme?pin-value=***&module-name=softhsm2");
    BOOST_TEST(uri::redact("pkcs11:object=a?pin-value=1") == "pkcs11:object=a?pin-value=***");
}

BOOST_AUTO_TEST_CASE(pin_value_in_the_path_is_redacted_too)
{
    // p11-kit takes pin-value in the path as well as in the query.
    const auto u = uri::parse("pkcs11:token=nosuch;object=x;pin-value=1234");
    BOOST_TEST(*u.pin_value() == "1234");
    BOOST_TEST(u.text() == "pkcs11:token=nosuch;object=x;pin-value=***");
    BOOST_TEST(uri::redact("pkcs11:pin-value=1234;token=x?module-name=m") ==
               "pkcs11:pin-value=***;token=x?module-name=m");
    BOOST_TEST(uri::redact("pkcs11:token=x;pin-value=12?pin-value=34&id=%01") ==
               "pkcs11:token=x;pin-value=***?pin-value=***&id=%01");
    // p11-kit does not know PIN-VALUE: the error quoting the URI must still hide it.
    const auto message = error_message([] { (void)uri::parse("pkcs11:token=x;PIN-VALUE=1234"); });
    BOOST_TEST(message.find("1234") == std::string::npos, message);
    BOOST_TEST(message.find("PIN-VALUE=***") != std::string::npos, message);
}

BOOST_AUTO_TEST_CASE(pin_values_are_masked_in_place)
{
    std::string arg = "pkcs11:token=x;Pin-Value=12;object=a?pin-value=3456&module-name=m";
    uri::mask_pin_values(arg);
    BOOST_TEST(arg == "pkcs11:token=x;Pin-Value=**;object=a?pin-value=****&module-name=m");
    std::string none = "pkcs11:token=x?module-name=pin-value";
    uri::mask_pin_values(none);
    BOOST_TEST(none == "pkcs11:token=x?module-name=pin-value");
    std::string last = "pkcs11:object=a?pin-value=9";
    uri::mask_pin_values(last);
    BOOST_TEST(last == "pkcs11:object=a?pin-value=*");
}

BOOST_AUTO_TEST_CASE(rejects_bad_uris)
{
    BOOST_TEST(error_message([] { (void)uri::parse("file:/etc/key.pem"); }).find("not a pkcs11: URI") !=
               std::string::npos);
    BOOST_TEST(error_message([] { (void)uri::parse("pkcs11:object=a%zz"); }).find("bad percent-encoding") !=
               std::string::npos);
    // A typo must not silently widen the selection to every key.
    BOOST_TEST(error_message([] { (void)uri::parse("pkcs11:token=acme;objekt=account"); }).find("does not know") !=
               std::string::npos);
    // ...nor a typo in the query load another module or drop the PIN source.
    const auto typos =
        error_message([] { (void)uri::parse("pkcs11:token=acme?modul-name=x&pin-sourse=/p&pin-value=1"); });
    BOOST_TEST(typos.find("unknown query attributes: modul-name, pin-sourse (known: module-name, module-path, "
                          "pin-source, pin-value)") != std::string::npos,
               typos);
}

BOOST_AUTO_TEST_CASE(formats_token_and_object_uris)
{
    CK_TOKEN_INFO t{};
    std::memset(&t, ' ', sizeof t);
    std::memcpy(t.label, "acme test", 9);
    std::memcpy(t.serialNumber, "42", 2);
    std::memcpy(t.model, "SoftHSM v2", 10);
    const std::uint8_t id[] = {0x02};
    BOOST_TEST(uri::format({.token = t}) == "pkcs11:serial=42;token=acme%20test");
    const std::string text =
        uri::format({.token = t, .id = id, .object = "my key", .private_key = true, .module_name = "ykcs11"});
    BOOST_TEST(text == "pkcs11:serial=42;token=acme%20test;id=%02;object=my%20key;type=private?module-name=ykcs11");
    // What we print parses back to the same selection.
    const auto back = uri::parse(text);
    BOOST_TEST(back.matches(t));
    BOOST_TEST(back.module_name() == "ykcs11");
}

BOOST_AUTO_TEST_CASE(resolves_modules_most_specific_first)
{
    BOOST_TEST(resolve_module("/x/mod.so", "softhsm2", "/y/cfg.so") == "/x/mod.so");
    // softhsm2 is registered with p11-kit (/usr/share/p11-kit/modules/softhsm2.module).
    BOOST_TEST(resolve_module("", "softhsm2", "/y/cfg.so").find("libsofthsm2.so") != std::string::npos);
    BOOST_TEST(resolve_module("", "", "/y/cfg.so") == "/y/cfg.so");
    BOOST_TEST(resolve_module("", "", "") == std::string(default_module()));
    BOOST_TEST(default_module().find("p11-kit-proxy") != std::string_view::npos);
    BOOST_TEST(error_message([] { (void)resolve_module("", "../evil", ""); }).find("not a path") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(not_a_module_is_a_clear_error)
{
    // A shared library without C_GetFunctionList.
    const std::string libc = error_message([] { module m("libz.so.1"); });
    BOOST_TEST(libc.find("is not a PKCS#11 module") != std::string::npos, libc);
    // Not a shared library at all.
    const std::string text = error_message([] { module m("/etc/passwd"); });
    BOOST_TEST(text.find("cannot load PKCS#11 module /etc/passwd") != std::string::npos, text);
    const std::string missing = error_message([] { module m("/nonexistent/libnothing.so"); });
    BOOST_TEST(missing.find("cannot load PKCS#11 module") != std::string::npos, missing);
    BOOST_TEST(missing.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(ckr_codes_are_named)
{
    BOOST_TEST(rv_name(CKR_PIN_INCORRECT) == "CKR_PIN_INCORRECT");
    BOOST_TEST(rv_name(CKR_USER_NOT_LOGGED_IN) == "CKR_USER_NOT_LOGGED_IN");
    BOOST_TEST(rv_name(0x80001234UL) == "CKR_0x80001234");
    BOOST_TEST(error(std::string("x"), CKR_SESSION_HANDLE_INVALID).reopenable());
    BOOST_TEST(error(std::string("x"), CKR_DEVICE_REMOVED).reopenable());
    BOOST_TEST(error(std::string("x"), CKR_OBJECT_HANDLE_INVALID).reopenable());
    BOOST_TEST(!error(std::string("x"), CKR_PIN_INCORRECT).reopenable());
    BOOST_TEST(!error(std::string("x"), CKR_MECHANISM_INVALID).reopenable());
    BOOST_TEST(error_message([] { check(CKR_PIN_INCORRECT, "C_Login"); }) == "C_Login: CKR_PIN_INCORRECT");
}

BOOST_AUTO_TEST_CASE(loads_and_finalizes_softhsm)
{
    lacme::pkcs11::test::softhsm hsm;
    const auto slot = hsm.init_token("acme");
    BOOST_TEST(!hsm.mod().slots_with_token().empty());
    BOOST_TEST(padded(token_info(hsm.mod(), slot).label) == "acme");
}

BOOST_AUTO_TEST_SUITE_END()
