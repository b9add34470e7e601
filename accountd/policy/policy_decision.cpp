// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/policy_decision.hpp"

#include "common/text.hpp"

#include <algorithm>

namespace lacme::accountd {
namespace {

// Requests that reveal or change nothing: a client needs them before anything else.
bool always_allowed(operation op)
{
    return op == operation::get || op == operation::challenge || op == operation::lookup;
}

// RFC 8555 §6.2: only these may be signed with the key itself rather than the account URL.
bool may_carry_jwk(operation op)
{
    return op == operation::lookup || op == operation::account || op == operation::keychange || op == operation::revoke;
}

std::string refusal_reason(const signing_policy& policy, const classified_request& r)
{
    const std::string of_policy = " by policy \"" + policy.label + "\"";
    if (r.op == operation::unknown)
        return "request not recognized (" + r.problem + ")";
    if (policy.ca && !r.url.starts_with(*policy.ca))
        return "url " + printable_for_log(r.url, 100) + " is outside the ca allowed" + of_policy;
    if (r.jwk_headed && !may_carry_jwk(r.op))
        return "jwk-headed " + std::string(operation_name(r.op)) + " request refused";
    if (always_allowed(r.op))
        return {};
    if (!policy.operations.contains(operation_name(r.op)))
        return "operation " + std::string(operation_name(r.op)) + " not allowed" + of_policy;
    const bool names_matter = r.op == operation::new_order || r.op == operation::new_authz ||
                              r.op == operation::finalize || r.op == operation::revoke;
    if (!names_matter)
        return {};
    if (r.identifiers.empty())
        return "no identifier in the " + std::string(operation_name(r.op)) + " request";
    // RFC 8555 §7.4.1: a pre-authorization cannot authorize a wildcard; a CA that took one anyway
    // might offer it other challenges than dns-01 (wildcards are allowed only through newOrder).
    if (r.op == operation::new_authz && r.identifiers.front().value.starts_with("*"))
        return "newAuthz of wildcard " + printable_for_log(to_string(r.identifiers.front()), 100) + " refused";
    const auto denied = std::find_if(r.identifiers.begin(), r.identifiers.end(),
                                     [&policy](const identifier& id) { return !policy.identifiers.allows(id); });
    if (denied != r.identifiers.end())
        return "identifier " + printable_for_log(to_string(*denied), 100) + " not allowed" + of_policy;
    return {};
}

}  // namespace

policy_decision decide(const signing_policy& policy, std::string_view header, std::string_view payload)
{
    policy_decision d;
    d.request = classify_signing_request(header, payload);
    d.reason = refusal_reason(policy, d.request);
    d.allowed = d.reason.empty();
    return d;
}

}  // namespace lacme::accountd
