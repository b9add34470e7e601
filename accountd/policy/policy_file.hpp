// SPDX-License-Identifier: GPL-3.0-or-later
// A signing policy file (--policy, `policy =`): what one caller of lacme-accountd may have
// signed. lacme's INI syntax, one [policy] section (man/lacme-accountd.1, POLICY):
//   label, ca, identifiers, wildcards, operations (default: order), max-orders-per-hour,
//   state-directory.
#pragma once

#include "accountd/policy/identifier_match.hpp"

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace lacme::accountd {

struct signing_policy {
    std::string label;  // names the caller in the audit log; [A-Za-z0-9._-]
    std::optional<std::string> ca;  // every signed url must start with it
    identifier_patterns identifiers;  // with the `wildcards` names
    std::set<std::string, std::less<>> operations;  // order, revoke, account, deactivate, keychange
    unsigned max_orders_per_hour = 0;  // 0: no limit
    std::optional<std::string> state_directory;  // absolute; where the order counter lives
    std::string state_directory_origin;  // "FILE:LINE" of state-directory
};

// Throws lacme::error "ORIGIN:LINE: ..." for any mistake (unknown key, bad value, missing
// label, a rate limit without a state directory).
signing_policy parse_signing_policy(std::string_view text, const std::string& origin);
signing_policy read_signing_policy(const std::string& path);

// What the policy allows, for --check-policy: one "key: value" line each.
std::string describe(const signing_policy& policy);

}  // namespace lacme::accountd
