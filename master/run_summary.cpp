// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/run_summary.hpp"

#include "common/text.hpp"
#include "master/exit_status.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>

namespace lacme::master {
namespace {

constexpr std::size_t max_line_bytes = 2000;

std::string utc(std::chrono::system_clock::time_point when, const char* format)
{
    const std::time_t t = std::chrono::system_clock::to_time_t(when);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    return std::string(buf, std::strftime(buf, sizeof buf, format, &tm));
}

std::string joined(const std::vector<std::string>& paths)
{
    std::string out;
    for (const auto& path : paths)
        out += (out.empty() ? "" : ", ") + path;
    return out;
}

const char* status_name(section_status status)
{
    switch (status) {
    case section_status::issued: return "issued";
    case section_status::skipped: return "skipped";
    case section_status::failed: break;
    }
    return "failed";
}

}  // namespace

std::string summary_line(const section_result& r)
{
    std::string line = "[" + r.section + "] ";
    switch (r.status) {
    case section_status::issued:
        line += "issued";
        if (r.expiry)
            line += ", expires " + utc(*r.expiry, "%Y-%m-%d");
        if (!r.paths.empty())
            line += ", installed " + joined(r.paths);
        break;
    case section_status::skipped: line += "skipped: " + r.detail; break;
    case section_status::failed: line += "FAILED: " + r.detail; break;
    }
    // Errors may carry the CA's text: no control byte reaches the terminal.
    return printable_for_log(line, max_line_bytes);
}

std::string counts_line(std::span<const section_result> results)
{
    const auto count = [&](section_status status) {
        return std::to_string(
            std::count_if(results.begin(), results.end(), [&](const section_result& r) { return r.status == status; }));
    };
    return std::to_string(results.size()) + (results.size() == 1 ? " section: " : " sections: ") +
           count(section_status::issued) + " issued, " + count(section_status::skipped) + " kept, " +
           count(section_status::failed) + " failed";
}

bool counts_worth_telling(std::span<const section_result> results)
{
    return std::any_of(results.begin(), results.end(),
                       [](const section_result& r) { return r.status != section_status::skipped; });
}

std::string summary_json(std::span<const section_result> results)
{
    auto sections = nlohmann::json::array();
    for (const auto& r : results) {
        nlohmann::json entry = {{"section", r.section}, {"status", status_name(r.status)}};
        if (r.expiry)
            entry["expiry"] = utc(*r.expiry, "%Y-%m-%dT%H:%M:%SZ");
        if (r.status == section_status::issued)
            entry["paths"] = r.paths;
        if (r.status == section_status::skipped)
            entry["reason"] = r.detail;
        if (r.status == section_status::failed)
            entry["error"] = r.detail;
        sections.push_back(std::move(entry));
    }
    // Invalid UTF-8 (from a config file) is replaced rather than aborting the summary.
    return nlohmann::json{{"sections", sections}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int exit_status(std::span<const section_result> results)
{
    return std::any_of(results.begin(), results.end(), [](const auto& r) { return r.status == section_status::failed; })
               ? exit_failure
               : exit_success;
}

}  // namespace lacme::master
