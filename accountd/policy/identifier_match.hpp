// SPDX-License-Identifier: GPL-3.0-or-later
// The names a signing policy allows: ACME identifiers (RFC 8555 §9.7.7: "dns" and "ip"), matched
// against a list of exact names, "*.suffix" (any name below suffix) and IP addresses or CIDR
// blocks, IPv4 and IPv6. A wildcard identifier ("*.example.org") is allowed only when listed
// exactly among the wildcard names (the policy's `wildcards`), never by a "*.suffix" pattern:
// a conforming CA validates it by dns-01 only, so allowing it is allowing that (doc/dns-01.md).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::accountd {

struct identifier {
    std::string type;  // "dns", "ip", or whatever else a request or CSR carried (never allowed)
    std::string value;

    friend bool operator==(const identifier&, const identifier&) = default;
};

// "dns:example.org", "ip:192.0.2.1": how identifiers appear in the audit log and refusals.
std::string to_string(const identifier& id);

class identifier_patterns {
public:
    // Space-separated patterns; throws lacme::error naming the first bad one.
    static identifier_patterns parse(std::string_view text);
    // Space-separated wildcard names ("*.example.org"), each allowed exactly as written; throws
    // lacme::error naming the first bad one.
    void allow_wildcards(std::string_view text);

    [[nodiscard]] bool allows(const identifier& id) const;
    [[nodiscard]] bool empty() const noexcept
    {
        return names_.empty() && suffixes_.empty() && networks_.empty() && wildcards_.empty();
    }
    // The patterns as given (normalized: lower case), for --check-policy.
    [[nodiscard]] const std::vector<std::string>& text() const noexcept { return text_; }
    [[nodiscard]] const std::vector<std::string>& wildcards() const noexcept { return wildcards_; }

private:
    struct network {
        std::array<std::uint8_t, 16> address;  // IPv4 in its first 4 bytes
        std::size_t length;  // 4 or 16
        unsigned prefix;  // bits
    };

    [[nodiscard]] bool allows_name(std::string_view name) const;
    [[nodiscard]] bool allows_address(std::string_view address) const;

    std::vector<std::string> names_;  // lower case
    std::vector<std::string> suffixes_;  // ".example.org", lower case
    std::vector<network> networks_;
    std::vector<std::string> text_;
    std::vector<std::string> wildcards_;  // "*.example.org", lower case
};

}  // namespace lacme::accountd
