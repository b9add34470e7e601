// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/signing_guard.hpp"

#include "common/error.hpp"

namespace lacme::accountd {
namespace {

// Told to the caller; the details (paths, errno) go to accountd's own log.
constexpr std::string_view audit_failure = "audit log cannot be written";

}  // namespace

signing_guard::signing_guard(std::optional<signing_policy> policy, std::shared_ptr<audit_log> audit, logger& log)
    : policy_(std::move(policy)), audit_(std::move(audit)), log_(log)
{
    // The counter is a locked file (order_rate_limit), so guards of one label, in this process
    // or another, count the same orders.
    if (policy_ && policy_->max_orders_per_hour > 0)
        orders_.emplace(*policy_->state_directory, policy_->label, policy_->max_orders_per_hour);
}

signing_guard::signing_guard(std::optional<signing_policy> policy, const std::optional<std::string>& audit_destination,
                             logger& log)
    : signing_guard(std::move(policy),
                    audit_destination ? std::make_shared<audit_log>(*audit_destination, log) : nullptr, log)
{}

signing_guard::verdict signing_guard::authorize(const signing_input_check& request, std::string_view caller,
                                                std::chrono::system_clock::time_point now)
{
    policy_decision decision;
    if (policy_) {
        decision = decide(*policy_, request.header, request.payload);
    } else {
        decision.request = classify_signing_request(request.header, request.payload);  // for the audit log
        decision.allowed = true;
    }
    std::optional<std::string> refusal;
    if (!decision.allowed)
        refusal = decision.reason;
    else if (decision.counts_as_order())
        refusal = check_rate(now);
    if (refusal) {
        record_refusal(decision, caller, *refusal, now);
        return {std::move(refusal), {}};
    }
    return {std::nullopt,
            {audit_ != nullptr, std::string(caller), std::string(operation_name(decision.request.op)),
             std::move(decision.request.identifiers)}};
}

std::optional<std::string> signing_guard::check_rate(std::chrono::system_clock::time_point now)
{
    if (!orders_)
        return std::nullopt;
    try {
        if (orders_->admit(now))
            return std::nullopt;
        return "newOrder rate limit of policy \"" + policy_->label + "\" reached (" +
               std::to_string(policy_->max_orders_per_hour) + " per hour)";
    } catch (const error& e) {
        log_.error(std::string("rate limit state: ") + e.what());
        return "rate limit state of policy \"" + policy_->label + "\" unavailable";
    }
}

void signing_guard::record_refusal(const policy_decision& decision, std::string_view caller, const std::string& reason,
                                   std::chrono::system_clock::time_point now)
{
    if (!audit_)
        return;
    try {
        // Not awaited: nothing leaves, and the next signature's sync takes it to the disk.
        (void)audit_->append({now, policy_ ? policy_->label : "", std::string(caller),
                              std::string(operation_name(decision.request.op)), decision.request.identifiers, false,
                              reason});
    } catch (const error& e) {
        log_.error(e.what());  // refused anyway
    }
}

signing_guard::signature_record signing_guard::record_signature(const authorization& grant,
                                                                std::chrono::system_clock::time_point now)
{
    if (!grant.audited)
        return {};
    try {
        return {std::nullopt,
                audit_->append(
                    {now, policy_ ? policy_->label : "", grant.caller, grant.operation, grant.identifiers, true, {}})};
    } catch (const error& e) {
        log_.error(e.what());
        return {std::string(audit_failure), std::nullopt};
    }
}

std::optional<std::string> signing_guard::await_record(audit_ticket ticket)
{
    try {
        audit_->await(ticket);
        return std::nullopt;
    } catch (const error& e) {
        log_.error(e.what());
        return std::string(audit_failure);
    }
}

}  // namespace lacme::accountd
