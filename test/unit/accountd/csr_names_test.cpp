#include "accountd/csr_names.hpp"

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
    const auto got = csr_names(base64url_encode(lacme::test::der_csr("example.org", "DNS:example.org,DNS:www.example.org,IP:192.0.2.1,IP:2001:db8::1")));
    BOOST_REQUIRE(got);
    const names expected = {{"dns", "example.org"}, {"dns", "example.org"}, {"dns", "www.example.org"},
                            {"ip", "192.0.2.1"}, {"ip", "2001:db8::1"}};
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
    const auto got = csr_names(base64url_encode(lacme::test::der_csr("", "email:a@example.org,URI:https://x.example/")));
    BOOST_REQUIRE(got);
    BOOST_TEST(*got == (names{{"email", "a@example.org"}, {"uri", "https://x.example/"}}), boost::test_tools::per_element());
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

BOOST_AUTO_TEST_CASE(certificate_names_like_csr_names)
{
    const auto got = certificate_names(base64url_encode(lacme::test::der_certificate("example.org", "DNS:www.example.org,IP:192.0.2.1")));
    BOOST_REQUIRE(got);
    BOOST_TEST(*got == (names{{"dns", "example.org"}, {"dns", "www.example.org"}, {"ip", "192.0.2.1"}}),
               boost::test_tools::per_element());
    const auto no_san = certificate_names(base64url_encode(lacme::test::der_certificate("only.example", "")));
    BOOST_REQUIRE(no_san);
    BOOST_TEST(*no_san == (names{{"dns", "only.example"}}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
