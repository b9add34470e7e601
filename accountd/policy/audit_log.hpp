// SPDX-License-Identifier: GPL-3.0-or-later
// The audit log (--audit-log, `audit-log =`): one JSON object per line for every signature and
// every policy refusal, with the fields time, label, caller, operation, identifiers, outcome
// and reason (refusals only). Appended to a file and fdatasync'd, or sent to syslog
// (LOG_AUTHPRIV, "lacme-accountd"), before the signature leaves: a record that cannot be
// written is an error, and the caller refuses to sign. Never key material, PINs or whole CSRs:
// only what the policy decision read.
#pragma once

#include "accountd/policy/identifier_match.hpp"
#include "common/unique_fd.hpp"

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace lacme::accountd {

struct audit_record {
    std::chrono::system_clock::time_point time;
    std::string label;
    std::string caller;
    std::string operation;
    std::vector<identifier> identifiers;
    bool signed_ = false;
    std::string reason;  // of a refusal
};

// The JSON line (without newline), time in RFC 3339 UTC.
std::string format_audit_record(const audit_record& record);

class audit_log {
public:
    // "syslog", or a file path (created 0600, appended to). Throws lacme::error.
    explicit audit_log(const std::string& destination);
    audit_log(const audit_log&) = delete;
    audit_log& operator=(const audit_log&) = delete;
    ~audit_log();

    // Thread-safe. Throws lacme::error when the record is not durably written.
    void write(const audit_record& record);

private:
    std::mutex mutex_;  // of the file; syslog(3) is thread-safe
    unique_fd file_;    // invalid: syslog
    std::string path_;
};

}  // namespace lacme::accountd
