// SPDX-License-Identifier: GPL-3.0-or-later
// Whether a signing policy lets accountd sign one signing input. Pure: no I/O, no clock, so it
// can be fuzzed and unit-tested exhaustively; the newOrder rate limit (order_rate_limit) and
// the audit log are applied by the caller.
#pragma once

#include "accountd/policy/policy_file.hpp"
#include "accountd/policy/signing_request_classifier.hpp"

#include <string>
#include <string_view>

namespace lacme::accountd {

struct policy_decision {
    classified_request request;
    bool allowed = false;
    std::string reason;  // why not (one printable line); empty when allowed
    // A newOrder: the caller must also charge the policy's rate limit.
    [[nodiscard]] bool counts_as_order() const noexcept { return allowed && request.op == operation::new_order; }
};

// header and payload: the decoded JSON texts of a signing input that passed
// check_signing_input. Default deny: a request of unknown shape is refused.
policy_decision decide(const signing_policy& policy, std::string_view header, std::string_view payload);

}  // namespace lacme::accountd
