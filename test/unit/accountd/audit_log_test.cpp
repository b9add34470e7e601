// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/audit_log.hpp"

#include "common/unique_fd.hpp"
#include "test/support/error_message.hpp"
#include "test/support/stderr_capture.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <sstream>
#include <thread>

using lacme::log_level;
using lacme::logger;
using lacme::accountd::audit_log;
using lacme::accountd::audit_record;
using lacme::accountd::format_audit_record;

namespace {

const std::chrono::system_clock::time_point t0{std::chrono::seconds(1'800'000'000)};

void write_durably(audit_log& log, const audit_record& record)
{
    const auto ticket = log.append(record);
    BOOST_REQUIRE(ticket);
    log.await(*ticket);
}

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
    const std::string hostile = "a\xE2\x80\xAE"
                                "elpmaxe\xC2\x85"
                                "b\xE2\x80\xA8"
                                "c\x1c\x7f.example";
    const auto line =
        format_audit_record({t0, "web\xE2\x80\xA8", "local", "order", {{"dns", hostile}}, false, "no \xC3\xA9"});
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
    logger quiet(log_level::info);
    audit_log log(dir.file("audit"), quiet);
    write_durably(log, {t0, "a", "local", "get", {}, true, {}});
    write_durably(log, {t0, "a", "local", "challenge", {}, true, {}});
    const std::string text = lacme::test::read_file(dir.file("audit"));
    BOOST_TEST(text.starts_with("old\n{"));
    BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 3);
    audit_log fresh(dir.file("new"), quiet);
    BOOST_TEST(lacme::test::file_mode(dir.file("new")) == 0600u);
}

// Preallocated (FALLOC_FL_KEEP_SIZE): blocks beyond the data, and the size still the data's, so
// readers see whole records and no zeros after them.
BOOST_AUTO_TEST_CASE(file_is_preallocated_beyond_its_size)
{
    const lacme::test::temp_dir dir;
    logger quiet(log_level::info);
    audit_log log(dir.file("audit"), quiet);
    write_durably(log, {t0, "a", "local", "get", {}, true, {}});
    struct stat st {};
    BOOST_REQUIRE(::stat(dir.file("audit").c_str(), &st) == 0);
    const std::string text = lacme::test::read_file(dir.file("audit"));
    BOOST_TEST(st.st_size == static_cast<off_t>(text.size()));
    BOOST_TEST(text.back() == '\n');
    BOOST_TEST(st.st_blocks * 512 >= 512 * 1024);
}

BOOST_AUTO_TEST_CASE(torn_last_record_is_removed_with_a_warning)
{
    const lacme::test::temp_dir dir;
    const std::string whole = format_audit_record({t0, "a", "local", "get", {}, true, {}}) + "\n";
    const std::string torn = whole.substr(0, 40);
    lacme::test::write_file(dir.file("audit"), whole + whole + torn);
    logger log(log_level::info);
    const lacme::test::stderr_capture captured;
    {
        audit_log reopened(dir.file("audit"), log);
        write_durably(reopened, {t0, "b", "local", "get", {}, true, {}});
    }
    BOOST_TEST(captured.text().find("Warning: audit log " + dir.file("audit") +
                                    ": removed a torn last record (40 bytes") != std::string::npos,
               captured.text());
    const std::string text = lacme::test::read_file(dir.file("audit"));
    BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 3);
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        BOOST_TEST(nlohmann::json::parse(line).contains("outcome"));
}

BOOST_AUTO_TEST_CASE(torn_only_record_and_trailing_zeros_are_removed)
{
    const lacme::test::temp_dir dir;
    logger log(log_level::info);
    const lacme::test::stderr_capture captured;
    lacme::test::write_file(dir.file("torn"), "{\"ti");
    {
        audit_log reopened(dir.file("torn"), log);
    }
    BOOST_TEST(lacme::test::read_file(dir.file("torn")).empty());
    lacme::test::write_file(dir.file("zeros"), "{}\n" + std::string(4096, '\0'));
    {
        audit_log reopened(dir.file("zeros"), log);
    }
    BOOST_TEST(lacme::test::read_file(dir.file("zeros")) == "{}\n");
}

BOOST_AUTO_TEST_CASE(long_line_without_newline_is_not_cut)
{
    const lacme::test::temp_dir dir;
    const std::string foreign(2 * 1024 * 1024, 'x');
    lacme::test::write_file(dir.file("audit"), foreign);
    logger log(log_level::info);
    BOOST_TEST(lacme::test::error_message([&] {
                   audit_log reopened(dir.file("audit"), log);
               }).find("does not end with a newline") != std::string::npos);
    BOOST_TEST(lacme::test::read_file(dir.file("audit")) == foreign);
}

// Another live accountd may be writing: its line in progress is not a torn record.
BOOST_AUTO_TEST_CASE(tail_is_left_alone_while_another_writer_holds_the_file)
{
    const lacme::test::temp_dir dir;
    logger log(log_level::info);
    lacme::test::write_file(dir.file("audit"), "{}\n{\"ti");
    const lacme::unique_fd other(::open(dir.file("audit").c_str(), O_RDONLY | O_CLOEXEC));
    BOOST_REQUIRE(::flock(other.get(), LOCK_SH) == 0);
    {
        audit_log second(dir.file("audit"), log);
    }
    BOOST_TEST(lacme::test::read_file(dir.file("audit")) == "{}\n{\"ti");
}

BOOST_AUTO_TEST_CASE(unopenable_or_unwritable_is_an_error)
{
    logger quiet(log_level::info);
    BOOST_TEST(lacme::test::error_message([&] {
                   audit_log log("/nonexistent/audit", quiet);
               }).starts_with("can't open audit log /nonexistent/audit"));
    audit_log full("/dev/full", quiet);
    BOOST_TEST(lacme::test::error_message([&] {
                   (void)full.append({t0, "a", "local", "get", {}, true, {}});
               }).starts_with("can't write audit log /dev/full"));
}

BOOST_AUTO_TEST_CASE(syslog_destination_takes_records)
{
    logger quiet(log_level::info);
    audit_log log("syslog", quiet);  // no file named "syslog" is created
    BOOST_TEST(!log.append({t0, "a", "local", "get", {}, true, {}}));  // nothing to await
    BOOST_TEST(::access("syslog", F_OK) != 0);
}

// Many threads, each waiting for its own records like the connections' pool jobs: every record
// is in the file, whole and once.
BOOST_AUTO_TEST_CASE(concurrent_writers_each_get_their_records_durable)
{
    const lacme::test::temp_dir dir;
    logger quiet(log_level::info);
    audit_log log(dir.file("audit"), quiet);
    constexpr int threads = 8;
    constexpr int each = 50;
    // Counted here, checked by the main thread: Boost.Test's assertions are not thread-safe.
    std::atomic<int> without_ticket{0};
    std::vector<std::thread> writers;
    for (int t = 0; t < threads; ++t)
        writers.emplace_back([&, t] {
            for (int i = 0; i < each; ++i) {
                const auto ticket =
                    log.append({t0, "t" + std::to_string(t), "local", "get", {{"dns", std::to_string(i)}}, true, {}});
                if (ticket)
                    log.await(*ticket);
                else
                    ++without_ticket;
            }
        });
    for (auto& w : writers)
        w.join();
    BOOST_TEST(without_ticket.load() == 0);
    std::set<std::string> seen;
    std::istringstream in(lacme::test::read_file(dir.file("audit")));
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line);
        seen.insert(j["label"].get<std::string>() + "/" + j["identifiers"][0].get<std::string>());
    }
    BOOST_TEST(seen.size() == static_cast<std::size_t>(threads * each));
}

BOOST_AUTO_TEST_SUITE_END()
