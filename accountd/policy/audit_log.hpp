// SPDX-License-Identifier: GPL-3.0-or-later
// The audit log (--audit-log, `audit-log =`): one JSON object per line for every signature and
// every policy refusal, with the fields time, label, caller, operation, identifiers, outcome
// and reason (refusals only). Appended to a file (audit_file), or sent to syslog (LOG_AUTHPRIV,
// "lacme-accountd"). A signature's record is on disk before the signature leaves: a record that
// cannot be written or synced is an error, and the caller refuses to sign. The syncs are group
// commits (group_commit): records written while a sync is in flight share the next one, so
// the rate of signatures is not the rate of fdatasync. A refusal's record is written at once
// and reaches the disk with the next sync. Never key material, PINs or whole CSRs: only what
// the policy decision read.
#pragma once

#include "accountd/policy/audit_file.hpp"
#include "accountd/policy/group_committer.hpp"
#include "accountd/policy/identifier_match.hpp"
#include "common/log.hpp"

#include <chrono>
#include <optional>
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

// A written record that is not on disk yet.
struct audit_ticket {
    group_commit::sequence record;
};

class audit_log {
public:
    // How many fdatasyncs may overlap (group_commit).
    static constexpr std::size_t sync_slots = 4;

    // "syslog", or a file path (audit_file). log: the warning about a repaired file. Throws
    // lacme::error.
    audit_log(const std::string& destination, logger& log);
    audit_log(const audit_log&) = delete;
    audit_log& operator=(const audit_log&) = delete;
    ~audit_log();

    // Thread-safe, does not wait for the disk: writes the record (to the page cache, or to
    // syslog). The ticket to await() before the record's signature leaves; nullopt when there
    // is nothing to wait for (syslog). Throws lacme::error when the record cannot be written.
    std::optional<audit_ticket> append(const audit_record& record);
    // Thread-safe, blocks (never call it on an event loop): returns once the record is on disk,
    // running the fdatasync itself when no sync in flight covers it and a slot is free. Throws
    // lacme::error when the record will never be on disk.
    void await(audit_ticket ticket);

private:
    std::optional<audit_file> file_;  // empty: syslog
    std::optional<group_committer> commits_;
};

}  // namespace lacme::accountd
