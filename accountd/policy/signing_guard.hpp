// SPDX-License-Identifier: GPL-3.0-or-later
// What stands between an admitted signing input and its signature when a policy or an audit log
// is configured: the policy decision and the newOrder rate limit before signing, the audit
// record of every refusal, and of every signature before it leaves. Without either, accountd
// signs everything, as lacme 0.8 does, and no guard exists.
#pragma once

#include "accountd/policy/audit_log.hpp"
#include "accountd/policy/order_rate_limit.hpp"
#include "accountd/policy/policy_decision.hpp"
#include "accountd/policy/policy_file.hpp"
#include "common/accountd_protocol.hpp"
#include "common/log.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lacme::accountd {

// An allowed request, as its audit record will describe it once signed.
struct authorization {
    bool audited = false;
    std::string caller;  // who asked, as the audit record names them
    std::string operation;
    std::vector<identifier> identifiers;
};

// One policy (or none) and the audit log; a daemon serving several listeners has one guard per
// listener, all writing to the same audit log.
class signing_guard {
public:
    // audit: may be shared by several guards, or null (no audit log).
    signing_guard(std::optional<signing_policy> policy, std::shared_ptr<audit_log> audit, logger& log);
    // audit_destination: "syslog" or a file (audit_log). Throws lacme::error when the audit
    // log cannot be opened.
    signing_guard(std::optional<signing_policy> policy, const std::optional<std::string>& audit_destination,
                  logger& log);

    struct verdict {
        std::optional<std::string> refusal;  // why not; the request must not be signed
        authorization grant;
    };
    // Thread-safe. request passed check_signing_input; caller: who is asking
    // (lacme::ssh::describe, or the listener), for the audit log.
    verdict authorize(const signing_input_check& request, std::string_view caller,
                      std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

    // What may happen to a signature whose record record_signature() wrote.
    struct signature_record {
        std::optional<std::string> refusal;  // the record cannot be written: the signature must not leave
        std::optional<audit_ticket> pending;  // written, not on disk yet: await_record() first
    };
    // Thread-safe, does not wait for the disk. Writes the audit record of a signature about to leave.
    signature_record record_signature(const authorization& grant,
                                      std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
    // Thread-safe, blocks until the record is on disk (never call it on an event loop). The
    // refusal reason when it will never be (the signature must then not leave).
    std::optional<std::string> await_record(audit_ticket ticket);

private:
    std::optional<std::string> check_rate(std::chrono::system_clock::time_point now);
    void record_refusal(const policy_decision& decision, std::string_view caller, const std::string& reason,
                        std::chrono::system_clock::time_point now);

    std::optional<signing_policy> policy_;
    std::optional<order_rate_limit> orders_;
    std::shared_ptr<audit_log> audit_;
    logger& log_;
};

}  // namespace lacme::accountd
