// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes lacme-accountd's policy evaluator: a protected header and a payload (the input split
// at its first newline) against a fixed policy. Never throws, and what it allows obeys the
// policy: the url under ca, every identifier of an order, CSR or certificate allowed, and no
// wildcard but the one listed (never in a newAuthz).
#include "accountd/policy/audit_log.hpp"
#include "accountd/policy/policy_decision.hpp"
#include "common/text.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace lacme::accountd;
    static const signing_policy policy = parse_signing_policy(
        "[policy]\nlabel = fuzz\nca = https://ca.example/\n"
        "identifiers = example.org *.example.org 192.0.2.0/24 2001:db8::/32\nwildcards = *.example.org\n"
        "operations = order revoke\n",
        "fuzz.policy");
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t nl = std::min(input.find('\n'), input.size());
    const auto header = input.substr(0, nl);
    const auto payload = nl < input.size() ? input.substr(nl + 1) : std::string_view();

    const policy_decision d = decide(policy, header, payload);
    if (d.allowed != d.reason.empty())
        std::abort();
    if (d.allowed) {
        if (!d.request.url.starts_with("https://ca.example/"))
            std::abort();
        const bool named = d.request.op == operation::new_order || d.request.op == operation::new_authz ||
                           d.request.op == operation::finalize || d.request.op == operation::revoke;
        if (named && (d.request.identifiers.empty() ||
                      !std::all_of(d.request.identifiers.begin(), d.request.identifiers.end(),
                                   [](const identifier& id) { return policy.identifiers.allows(id); })))
            std::abort();
        for (const identifier& id : d.request.identifiers)
            if (id.value.find('*') != std::string::npos &&
                (d.request.op == operation::new_authz || lacme::ascii_lower(id.value) != "*.example.org"))
                std::abort();
        if (d.request.op == operation::unknown || d.request.op == operation::account ||
            d.request.op == operation::deactivate || d.request.op == operation::keychange)
            std::abort();
    }
    // Whatever was read from the request, its audit record is one line.
    const auto line = format_audit_record({{},
                                           policy.label,
                                           "fuzz",
                                           std::string(operation_name(d.request.op)),
                                           d.request.identifiers,
                                           d.allowed,
                                           d.reason});
    if (line.find('\n') != std::string::npos)
        std::abort();
    return 0;
}
