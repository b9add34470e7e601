// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/audit_log.hpp"

#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>

using lacme::accountd::audit_log;
using lacme::accountd::audit_record;
using lacme::accountd::format_audit_record;

namespace {

const std::chrono::system_clock::time_point t0{std::chrono::seconds(1'800'000'000)};

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_log_suite)

BOOST_AUTO_TEST_CASE(refusal_record_has_every_field)
{
    const auto line = format_audit_record(
        {t0, "web1", "192.0.2.1 port 22", "order", {{"dns", "a.example"}, {"ip", "192.0.2.9"}}, false, "no"});
    BOOST_TEST(line.find('\n') == std::string::npos);
    const auto j = nlohmann::json::parse(line);
    BOOST_TEST(j["time"] == "2027-01-15T08:00:00Z");
    BOOST_TEST(j["label"] == "web1");
    BOOST_TEST(j["caller"] == "192.0.2.1 port 22");
    BOOST_TEST(j["operation"] == "order");
    BOOST_TEST(j["identifiers"] == nlohmann::json::array({"dns:a.example", "ip:192.0.2.9"}));
    BOOST_TEST(j["outcome"] == "refused");
    BOOST_TEST(j["reason"] == "no");
}

BOOST_AUTO_TEST_CASE(signed_record_has_no_reason_and_survives_bad_utf8)
{
    const auto j = nlohmann::json::parse(format_audit_record({t0, "", "local", "get", {{"dns", "\xff\n"}}, true, {}}));
    BOOST_TEST(j["outcome"] == "signed");
    BOOST_TEST(!j.contains("reason"));
    BOOST_TEST(j["identifiers"][0] == "dns:\xEF\xBF\xBD\n");
}

// Issue 19, finding 6: raw U+202E, U+0085, U+2028 misled displays and split records for
// line readers that break at Unicode line ends (Python's str.splitlines).
BOOST_AUTO_TEST_CASE(record_is_ascii_whatever_the_identifiers)
{
    const std::string hostile = "a\xE2\x80\xAE" "elpmaxe\xC2\x85" "b\xE2\x80\xA8" "c\x1c\x7f.example";
    const auto line = format_audit_record({t0, "web\xE2\x80\xA8", "local", "order", {{"dns", hostile}}, false, "no \xC3\xA9"});
    BOOST_TEST(std::all_of(line.begin(), line.end(), [](char c) { return c >= 0x20 && c < 0x7f; }));
    BOOST_TEST(line.find("\\u202e") != std::string::npos);
    BOOST_TEST(line.find("\\u007f") != std::string::npos);
    const auto j = nlohmann::json::parse(line);
    BOOST_TEST(j["identifiers"][0] == "dns:" + hostile);
    BOOST_TEST(j["label"] == "web\xE2\x80\xA8");
}

BOOST_AUTO_TEST_CASE(file_is_appended_line_by_line_mode_0600)
{
    const lacme::test::temp_dir dir;
    lacme::test::write_file(dir.file("audit"), "old\n");
    audit_log log(dir.file("audit"));
    log.write({t0, "a", "local", "get", {}, true, {}});
    log.write({t0, "a", "local", "challenge", {}, true, {}});
    const std::string text = lacme::test::read_file(dir.file("audit"));
    BOOST_TEST(text.starts_with("old\n{"));
    BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 3);
    audit_log fresh(dir.file("new"));
    BOOST_TEST(lacme::test::file_mode(dir.file("new")) == 0600u);
}

BOOST_AUTO_TEST_CASE(unopenable_or_unwritable_is_an_error)
{
    BOOST_TEST(lacme::test::error_message([] { audit_log log("/nonexistent/audit"); })
                   .starts_with("can't open audit log /nonexistent/audit"));
    audit_log full("/dev/full");
    BOOST_TEST(lacme::test::error_message([&] { full.write({t0, "a", "local", "get", {}, true, {}}); })
                   .starts_with("can't write audit log /dev/full"));
}

BOOST_AUTO_TEST_CASE(syslog_destination_takes_records)
{
    audit_log log("syslog");  // no file named "syslog" is created
    log.write({t0, "a", "local", "get", {}, true, {}});
    BOOST_TEST(::access("syslog", F_OK) != 0);
}

BOOST_AUTO_TEST_SUITE_END()
