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
    std::string detail;              // skipped: the reason; failed: the one-line error
};

// "[www] issued, expires 2027-02-25, installed /etc/ssl/www.pem",
// "[www] skipped: expires in 74 days", "[www] FAILED: <error>". Control bytes are escaped.
std::string summary_line(const section_result& result);

// {"sections":[{"section":"www","status":"issued","expiry":"2027-02-25T10:00:00Z",
//   "paths":["/etc/ssl/www.pem"]}, {..."status":"skipped","reason":"..."},
//   {..."status":"failed","error":"..."}]}, one line.
std::string summary_json(std::span<const section_result> results);

// exit_success when no section failed, exit_failure otherwise (master/exit_status.hpp).
int exit_status(std::span<const section_result> results);

}  // namespace lacme::master
