// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/dns01_protocol.hpp"

#include "common/error.hpp"
#include "test/support/error_message.hpp"

#include <boost/test/unit_test.hpp>

using lacme::check_dns01_answer;
using lacme::dns01_action;
using lacme::dns01_request;
using lacme::format_dns01_request;
using lacme::parse_dns01_request;
using lacme::test::error_message;

namespace {

const std::string value = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0";  // RFC 8555 §8.4's example

}  // namespace

BOOST_AUTO_TEST_SUITE(dns01_protocol)

BOOST_AUTO_TEST_CASE(requests_round_trip)
{
    const dns01_request request{dns01_action::publish,
                                {{"_acme-challenge.example.org", value}, {"_acme-challenge.www.example.org", value}}};
    const std::string line = format_dns01_request(request);
    BOOST_TEST(line ==
               "dns-01 publish _acme-challenge.example.org " + value + " _acme-challenge.www.example.org " + value);
    BOOST_TEST(lacme::is_dns01_line(line));
    const auto parsed = parse_dns01_request(line);
    BOOST_TEST((parsed.action == dns01_action::publish));
    BOOST_TEST((parsed.records == request.records));
    BOOST_TEST(
        (parse_dns01_request("dns-01 remove _acme-challenge.example.org " + value).action == dns01_action::remove));
}

BOOST_AUTO_TEST_CASE(signing_inputs_are_not_dns01_lines)
{
    BOOST_TEST(!lacme::is_dns01_line("eyJhbGciOiJFUzI1NiJ9.e30"));
    BOOST_TEST(!lacme::is_dns01_line("dns-01"));
}

BOOST_AUTO_TEST_CASE(malformed_requests_are_refused)
{
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"dns-01 add _acme-challenge.example.org " + value, "dns-01: unknown request"},
        {"dns-01 publish", "dns-01: expected NAME VALUE pairs"},
        {"dns-01 ", "dns-01: unknown request"},
        {"dns-01 publish _acme-challenge.example.org", "dns-01: expected NAME VALUE pairs"},
        {"dns-01 publish example.org " + value, "dns-01: invalid record name example.org"},
        {"dns-01 publish _acme-challenge.example.org. " + value,
         "dns-01: invalid record name _acme-challenge.example.org."},
        {"dns-01 publish _acme-challenge.a..org " + value, "dns-01: invalid record name _acme-challenge.a..org"},
        {"dns-01 publish _acme-challenge.$(reboot).org " + value,
         "dns-01: invalid record name _acme-challenge.$(reboot).org"},
        {"dns-01 publish _acme-challenge.example.org short", "dns-01: invalid TXT value short"},
        {"dns-01 publish _acme-challenge.example.org " + value.substr(1) + "/",
         "dns-01: invalid TXT value " + value.substr(1) + "/"},
    };
    for (const auto& [line, message] : cases)
        BOOST_TEST(error_message([&line = line] { (void)parse_dns01_request(line); }) == message, line);
}

BOOST_AUTO_TEST_CASE(record_names_drop_the_wildcard)
{
    BOOST_TEST(lacme::dns01_record_name("*.example.org") == "_acme-challenge.example.org");
    BOOST_TEST(lacme::dns01_record_name("www.example.org") == "_acme-challenge.www.example.org");
}

BOOST_AUTO_TEST_CASE(answers)
{
    BOOST_CHECK_NO_THROW(check_dns01_answer(dns01_action::publish, "dns-01 published"));
    BOOST_CHECK_NO_THROW(check_dns01_answer(dns01_action::remove, "dns-01 removed"));
    BOOST_TEST(error_message([] {
                   check_dns01_answer(dns01_action::publish, lacme::dns01_failed_answer("hook\nfailed"));
               }).starts_with("the master could not publish the dns-01 records: hook"));
    // Perl's master hands the line to accountd, which refuses it.
    BOOST_TEST(error_message([] { check_dns01_answer(dns01_action::publish, "NOSIGN"); }) ==
               "the master does not do dns-01 (it answered NOSIGN): dns-01 needs lacme-cpp's master");
    BOOST_TEST(error_message([] {
                   check_dns01_answer(dns01_action::remove, "dns-01 published");
               }).starts_with("the master does not do dns-01"));
}

BOOST_AUTO_TEST_SUITE_END()
