// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/run_summary.hpp"

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

using lacme::master::counts_line;
using lacme::master::counts_worth_telling;
using lacme::master::exit_status;
using lacme::master::section_result;
using lacme::master::section_status;
using lacme::master::summary_json;
using lacme::master::summary_line;

namespace {

// 2027-02-25T10:00:00Z
const auto expiry = std::chrono::system_clock::from_time_t(1803549600);

const std::vector<section_result> results = {
    {"www", section_status::issued, expiry, {"/etc/ssl/www.pem", "/etc/ssl/www.chain.pem"}, ""},
    {"mail", section_status::skipped, expiry, {}, "expires in 74 days"},
    {"bad", section_status::failed, std::nullopt, {}, "c.conf:3: subjectAltName: invalid DNS name 'a_b.example'"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(run_summary)

BOOST_AUTO_TEST_CASE(human_lines)
{
    BOOST_TEST(summary_line(results[0]) ==
               "[www] issued, expires 2027-02-25, installed /etc/ssl/www.pem, /etc/ssl/www.chain.pem");
    BOOST_TEST(summary_line(results[1]) == "[mail] skipped: expires in 74 days");
    BOOST_TEST(summary_line(results[2]) == "[bad] FAILED: c.conf:3: subjectAltName: invalid DNS name 'a_b.example'");
}

BOOST_AUTO_TEST_CASE(control_bytes_never_reach_the_terminal)
{
    const section_result r{"x", section_status::failed, std::nullopt, {}, "CA said: \x1b[2Jgone\nfake line"};
    BOOST_TEST(summary_line(r) == "[x] FAILED: CA said: \\x1b[2Jgone\\x0afake line");
}

BOOST_AUTO_TEST_CASE(json_document)
{
    const auto doc = nlohmann::json::parse(summary_json(results));
    BOOST_TEST(summary_json(results).find('\n') == std::string::npos);
    const auto& s = doc.at("sections");
    BOOST_REQUIRE_EQUAL(s.size(), 3u);
    BOOST_TEST(s[0].at("section") == "www");
    BOOST_TEST(s[0].at("status") == "issued");
    BOOST_TEST(s[0].at("expiry") == "2027-02-25T10:00:00Z");
    BOOST_TEST(s[0].at("paths") == nlohmann::json({"/etc/ssl/www.pem", "/etc/ssl/www.chain.pem"}));
    BOOST_TEST(s[1].at("status") == "skipped");
    BOOST_TEST(s[1].at("reason") == "expires in 74 days");
    BOOST_TEST(s[2].at("status") == "failed");
    BOOST_TEST(s[2].at("error") == results[2].detail);
    BOOST_TEST(!s[2].contains("expiry"));
    const section_result bad_utf8{"\xff", section_status::skipped, std::nullopt, {}, "x"};
    BOOST_TEST(nlohmann::json::parse(summary_json(std::span(&bad_utf8, 1))).at("sections")[0].at("section") ==
               "\xef\xbf\xbd");
}

BOOST_AUTO_TEST_CASE(counts_line_counts_issued_kept_failed)
{
    BOOST_TEST(counts_line(results) == "3 sections: 1 issued, 1 kept, 1 failed");
    BOOST_TEST(counts_line(std::span(results).first(1)) == "1 section: 1 issued, 0 kept, 0 failed");
    std::vector<section_result> many(200, results[0]);
    many[7] = results[2];
    many[8] = results[1];
    BOOST_TEST(counts_line(many) == "200 sections: 198 issued, 1 kept, 1 failed");
}

BOOST_AUTO_TEST_CASE(counts_are_news_only_when_something_was_issued_or_failed)
{
    BOOST_TEST(counts_worth_telling(results));
    BOOST_TEST(!counts_worth_telling(std::span(results).subspan(1, 1)));
    BOOST_TEST(counts_worth_telling(std::span(results).subspan(2, 1)));
}

BOOST_AUTO_TEST_CASE(exit_status_is_1_when_any_section_failed)
{
    BOOST_TEST(exit_status(results) == 1);
    BOOST_TEST(exit_status(std::span(results).first(2)) == 0);
    BOOST_TEST(exit_status({}) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
