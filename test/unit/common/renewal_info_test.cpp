// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/renewal_info.hpp"

#include "common/base64url.hpp"
#include "common/error.hpp"
#include "common/openssl_ptr.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <openssl/x509v3.h>

using lacme::ari_certificate_id;

namespace {

// A self-signed certificate whose AKI equals its SKI, with the given serial.
std::string make_certificate(long serial, bool with_aki)
{
    lacme::evp_pkey_ptr key(EVP_EC_gen("P-256"));
    BOOST_REQUIRE(key);
    lacme::x509_ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("ari test"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
    X509_set_pubkey(cert.get(), key.get());
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    X509_EXTENSION* ski = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_key_identifier, "hash");
    X509_add_ext(cert.get(), ski, -1);
    X509_EXTENSION_free(ski);
    if (with_aki) {
        X509_EXTENSION* aki = X509V3_EXT_conf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always");
        X509_add_ext(cert.get(), aki, -1);
        X509_EXTENSION_free(aki);
    }
    BOOST_REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);
    unsigned char* der = nullptr;
    const int len = i2d_X509(cert.get(), &der);
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(renewal_info)

BOOST_AUTO_TEST_CASE(certificate_id_matches_rfc9773_serial_encoding)
{
    const std::string der = make_certificate(0x87654321, true);
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    lacme::x509_ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(cert.get());
    const std::string keyid(reinterpret_cast<const char*>(ASN1_STRING_get0_data(ski)), ASN1_STRING_length(ski));
    // RFC 9773 §4.1's example serial 0x87654321 encodes as 00 87 65 43 21: "AIdlQyE".
    BOOST_TEST(ari_certificate_id(der) == lacme::base64url_encode(keyid) + ".AIdlQyE");
    BOOST_TEST(ari_certificate_id(make_certificate(0x1234, true)).ends_with(".EjQ"));
}

BOOST_AUTO_TEST_CASE(certificate_without_aki_or_junk_is_refused)
{
    BOOST_CHECK_THROW(ari_certificate_id(make_certificate(5, false)), lacme::error);
    BOOST_CHECK_THROW(ari_certificate_id("not a certificate"), lacme::error);
}

BOOST_AUTO_TEST_CASE(suggested_window_and_rfc3339_offsets)
{
    using namespace std::chrono_literals;
    const auto w = lacme::suggested_window(nlohmann::json::parse(
        R"({"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-03T04:00:00.5+01:00"}})"));
    BOOST_TEST((w.end - w.start == 23h));
    BOOST_CHECK_THROW(lacme::suggested_window(nlohmann::json::parse(R"({"suggestedWindow":{"start":"x","end":"y"}})")),
                      lacme::error);
    BOOST_TEST(!lacme::parse_rfc3339("2025-13-01T00:00:00Z"));
}

// Found by fuzz_ca_response: years the nanosecond clock cannot hold overflowed the conversion.
BOOST_AUTO_TEST_CASE(rfc3339_years_outside_the_clock_are_refused)
{
    BOOST_TEST(!lacme::parse_rfc3339("0012-01-01T00:00:00Z"));
    BOOST_TEST(!lacme::parse_rfc3339("-999-01-01T00:00:00Z"));
    BOOST_TEST(!lacme::parse_rfc3339("9999-12-31T23:59:59Z"));
    BOOST_TEST(!lacme::parse_rfc3339("2025-01-01T-1:00:00Z"));
    BOOST_TEST(lacme::parse_rfc3339("2200-12-31T23:59:59Z").has_value());
}

// RFC 3339's fields are fixed-width digits: no short field, blank or sign inside one.
BOOST_AUTO_TEST_CASE(rfc3339_fields_are_fixed_width_digits)
{
    BOOST_TEST(!lacme::parse_rfc3339("2025-1-01T00:00:00Z"));
    BOOST_TEST(!lacme::parse_rfc3339(" 2025-01-01T00:00:00Z"));
    BOOST_TEST(!lacme::parse_rfc3339("2025-01-01T00:00:00+ 2:00"));
    BOOST_TEST(!lacme::parse_rfc3339("2025-01-01T00:00:00+0200"));
    BOOST_TEST((lacme::parse_rfc3339("2025-01-01t00:00:00.25-01:30") == lacme::parse_rfc3339("2025-01-01T01:30:00Z")));
}

BOOST_AUTO_TEST_SUITE_END()
