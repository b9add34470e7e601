// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/subject_name.hpp"

#include "test/support/error_message.hpp"

#include <boost/test/unit_test.hpp>

#include <openssl/objects.h>

using lacme::master::make_x509_name;
using lacme::master::parse_subject;
using lacme::test::error_message;

namespace {

std::string one_line(const std::string& subject)
{
    const auto name = make_x509_name(parse_subject(subject));
    char buf[512];
    return X509_NAME_oneline(name.get(), buf, sizeof buf);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(subject_name)

BOOST_AUTO_TEST_CASE(types_values_and_escapes_as_openssl_req_subj)
{
    const auto entries = parse_subject("/C=FR/O=A\\/B \\+ C/CN=www.example.org");
    BOOST_REQUIRE_EQUAL(entries.size(), 3u);
    BOOST_TEST(entries[0].nid == NID_countryName);
    BOOST_TEST(entries[1].value == "A/B + C");
    BOOST_TEST(entries[2].nid == NID_commonName);
    BOOST_TEST(!entries[2].joins_previous);
    BOOST_TEST(one_line("/C=FR/O=A\\/B/CN=www.example.org") == "/C=FR/O=A\\/B/CN=www.example.org");
}

BOOST_AUTO_TEST_CASE(plus_makes_a_multi_valued_rdn_and_empty_values_are_left_out)
{
    const auto entries = parse_subject("/O=Org+OU=Unit/L=/CN=a.example");
    BOOST_REQUIRE_EQUAL(entries.size(), 3u);
    BOOST_TEST(entries[1].joins_previous);
    const auto name = make_x509_name(entries);
    BOOST_TEST(X509_NAME_entry_count(name.get()) == 3);
    BOOST_TEST(X509_NAME_ENTRY_set(X509_NAME_get_entry(name.get(), 1)) ==
               X509_NAME_ENTRY_set(X509_NAME_get_entry(name.get(), 0)));
    BOOST_TEST(X509_NAME_ENTRY_set(X509_NAME_get_entry(name.get(), 2)) == 1);
}

BOOST_AUTO_TEST_CASE(bad_subjects)
{
    BOOST_TEST(error_message([] { parse_subject("CN=a"); }) ==
               "subject must have the form /type0=value0/type1=value1/...");
    BOOST_TEST(error_message([] { parse_subject("/CN"); }) == "subject: missing '=' after type 'CN'");
    BOOST_TEST(error_message([] { parse_subject("/CN=a\\"); }) == "subject: escape character at the end");
    BOOST_TEST(error_message([] { parse_subject("/Colour=blue"); }) == "subject: unknown attribute type 'Colour'");
    BOOST_TEST(
        error_message([] { make_x509_name(parse_subject("/C=France")); }).starts_with("subject: invalid value for C"));
}

BOOST_AUTO_TEST_SUITE_END()
