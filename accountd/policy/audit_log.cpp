// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/audit_log.hpp"

#include "common/error.hpp"

#include <syslog.h>

#include <nlohmann/json.hpp>

#include <ctime>

namespace lacme::accountd {
namespace {

std::string rfc3339(std::chrono::system_clock::time_point time)
{
    const std::time_t t = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    ::gmtime_r(&t, &utc);
    char text[32];
    const std::size_t size = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return std::string(text, size);
}

}  // namespace

std::string format_audit_record(const audit_record& record)
{
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& id : record.identifiers)
        ids.push_back(to_string(id));
    nlohmann::json line = {
        {"time", rfc3339(record.time)},  {"label", record.label},
        {"caller", record.caller},       {"operation", record.operation},
        {"identifiers", std::move(ids)}, {"outcome", record.signed_ ? "signed" : "refused"},
    };
    if (!record.signed_)
        line["reason"] = record.reason;
    // Invalid UTF-8 from a hostile CSR becomes U+FFFD instead of an exception; everything
    // non-ASCII (U+202E, U+0085, U+2028...) and every control character is a \uXXXX escape, so
    // a record displays as what it is and no line-splitting reader (Python's splitlines) cuts it.
    // nlohmann leaves DEL as it is; in a dump it can only stand inside a string.
    std::string text = line.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
    for (std::size_t at = 0; (at = text.find('\x7f', at)) != std::string::npos;)
        text.replace(at, 1, "\\u007f");
    return text;
}

audit_log::audit_log(const std::string& destination, logger& log)
{
    if (destination == "syslog") {
        ::openlog("lacme-accountd", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
        return;
    }
    file_.emplace(destination, sync_slots, log);
    commits_.emplace(sync_slots, [this](std::size_t slot) { file_->sync(slot); });
}

audit_log::~audit_log()
{
    if (!file_)
        ::closelog();
}

std::optional<audit_ticket> audit_log::append(const audit_record& record)
{
    const std::string line = format_audit_record(record);
    if (!file_) {
        ::syslog(LOG_AUTHPRIV | (record.signed_ ? LOG_INFO : LOG_WARNING), "%s", line.c_str());
        return std::nullopt;
    }
    return audit_ticket{commits_->append([&] { file_->append(line + "\n"); })};
}

void audit_log::await(audit_ticket ticket)
{
    commits_->await(ticket.record);
}

}  // namespace lacme::accountd
