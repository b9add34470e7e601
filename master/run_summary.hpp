// SPDX-License-Identifier: GPL-3.0-or-later
// The outcome of `lacme newOrder` per section: one human line each, or one JSON document
// (--json), and the exit status they imply.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lacme::master {

enum class section_status { issued, skipped, failed };

struct section_result {
    std::string section;
    section_status status;
    std::optional<std::chrono::system_clock::time_point> expiry;
    std::vector<std::string> paths;  // installed files (issued)
    std::string detail;  // skipped: the reason; failed: the one-line error
};

// "[www] issued, expires 2027-02-25, installed /etc/ssl/www.pem",
// "[www] skipped: expires in 74 days", "[www] FAILED: <error>". Control bytes are escaped.
std::string summary_line(const section_result& result);

// The whole run in one line after the per-section ones: "200 sections: 197 issued, 2 kept,
// 1 failed" ("kept": the skipped sections, whose installed certificate stays).
std::string counts_line(std::span<const section_result> results);

// Whether a run's counts line is news, i.e. shown even with --quiet: something was issued or
// failed. A cron run with nothing due stays silent, as lacme 0.8's does.
[[nodiscard]] bool counts_worth_telling(std::span<const section_result> results);

// {"sections":[{"section":"www","status":"issued","expiry":"2027-02-25T10:00:00Z",
//   "paths":["/etc/ssl/www.pem"]}, {..."status":"skipped","reason":"..."},
//   {..."status":"failed","error":"..."}]}, one line.
std::string summary_json(std::span<const section_result> results);

// exit_success when no section failed, exit_failure otherwise (master/exit_status.hpp).
int exit_status(std::span<const section_result> results);

}  // namespace lacme::master
