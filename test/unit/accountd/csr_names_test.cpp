// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/csr_names.hpp"

#include "test/support/x509_builder.hpp"
#include "test/unit/accountd/policy_printers.hpp"
#include "common/base64url.hpp"

#include <boost/test/unit_test.hpp>

using lacme::base64url_encode;
using lacme::accountd::certificate_names;
using lacme::accountd::csr_names;
using lacme::accountd::identifier;
using names = std::vector<identifier>;

BOOST_AUTO_TEST_SUITE(csr_names_suite)

BOOST_AUTO_TEST_CASE(csr_gives_cn_then_every_san)
{
    const auto got = csr_names(base64url_encode(
        lacme::test::der_csr("example.org", "DNS:example.org,DNS:www.example.org,IP:192.0.2.1,IP:2001:db8::1")));
    BOOST_REQUIRE(got);
    const names expected = {{"dns", "example.org"},
                            {"dns", "example.org"},
                            {"dns", "www.example.org"},
                            {"ip", "192.0.2.1"},
                            {"ip", "2001:db8::1"}};
    BOOST_TEST(*got == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(csr_without_san_or_cn)
{
    const auto only_cn = csr_names(base64url_encode(lacme::test::der_csr("192.0.2.9", "")));
    BOOST_REQUIRE(only_cn);
    BOOST_TEST(*only_cn == (names{{"ip", "192.0.2.9"}}), boost::test_tools::per_element());
    const auto no_cn = csr_names(base64url_encode(lacme::test::der_csr("", "DNS:a.example")));
    BOOST_REQUIRE(no_cn);
    BOOST_TEST(*no_cn == (names{{"dns", "a.example"}}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(other_san_types_are_reported_by_type)
{
    const auto got =
        csr_names(base64url_encode(lacme::test::der_csr("", "email:a@example.org,URI:https://x.example/")));
    BOOST_REQUIRE(got);
    BOOST_TEST(*got == (names{{"email", "a@example.org"}, {"uri", "https://x.example/"}}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(garbage_is_nullopt)
{
    const std::string der = lacme::test::der_csr("example.org", "DNS:example.org");
    BOOST_TEST(!csr_names(""));
    BOOST_TEST(!csr_names("not base64url!"));
    BOOST_TEST(!csr_names(base64url_encode("hello")));
    BOOST_TEST(!csr_names(base64url_encode(der.substr(0, der.size() - 1))));
    BOOST_TEST(!csr_names(base64url_encode(der + "x")));  // trailing bytes
    BOOST_TEST(!csr_names(base64url_encode(lacme::test::der_certificate("example.org", "DNS:example.org"))));
    BOOST_TEST(!certificate_names(base64url_encode(der)));
}

// Issue 19, finding 1: OpenSSL read only the first extension-request attribute, Go's
// crypto/x509 merges them all, so "CN=web1" to accountd was "SAN=victim" to the CA.
BOOST_AUTO_TEST_CASE(csr_any_parser_could_read_otherwise_is_nullopt)
{
    using lacme::test::csr_builder;
    const auto read = [](csr_builder& csr) { return csr_names(base64url_encode(csr.der())); };
    csr_builder one("web1.example");
    BOOST_TEST(read(one.san_attribute({"DNS:web1.example"})).has_value());
    csr_builder two_attributes("web1.example");
    BOOST_TEST(!read(two_attributes.san_attribute({"DNS:web1.example"}).san_attribute({"DNS:victim.example"})));
    csr_builder empty_then_victim("web1.example");  // what Go, refusing repeated extensions, merges
    BOOST_TEST(!read(empty_then_victim.san_attribute({}).san_attribute({"DNS:victim.example"})));
    csr_builder ms_and_standard("web1.example");
    BOOST_TEST(!read(
        ms_and_standard.san_attribute({"DNS:web1.example"}, NID_ms_ext_req).san_attribute({"DNS:victim.example"})));
    csr_builder two_values("web1.example");
    BOOST_TEST(!read(two_values.san_attribute({"DNS:web1.example"}).second_value({"DNS:victim.example"})));
    csr_builder two_sans("web1.example");
    BOOST_TEST(!read(two_sans.san_attribute({"DNS:web1.example", "DNS:victim.example"})));
    csr_builder undecodable("web1.example");
    BOOST_TEST(!read(undecodable.undecodable_extensions()));
    // Critical or not, a lone subjectAltName reads the same to every parser.
    csr_builder critical("web1.example");
    BOOST_TEST(read(critical.san_attribute({"DNS:web1.example"}, NID_ext_req, true)).has_value());
}

BOOST_AUTO_TEST_CASE(certificate_names_like_csr_names)
{
    const auto got = certificate_names(
        base64url_encode(lacme::test::der_certificate("example.org", "DNS:www.example.org,IP:192.0.2.1")));
    BOOST_REQUIRE(got);
    BOOST_TEST(*got == (names{{"dns", "example.org"}, {"dns", "www.example.org"}, {"ip", "192.0.2.1"}}),
               boost::test_tools::per_element());
    const auto no_san = certificate_names(base64url_encode(lacme::test::der_certificate("only.example", "")));
    BOOST_REQUIRE(no_san);
    BOOST_TEST(*no_san == (names{{"dns", "only.example"}}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
