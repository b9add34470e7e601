// SPDX-License-Identifier: GPL-3.0-or-later
// One RFC 2136 UPDATE message adding or deleting one TXT value, signed with TSIG (RFC 8945), and
// the check of its response. Built, signed, parsed and verified by Debian's libldns (NLnet Labs),
// never by hand: the add is prerequisite-free (class IN, dns_update_ttl), the delete removes that
// exact value only (class NONE, TTL 0, RFC 2136 §2.5.4), so records of other certificates under
// the same name stay.
#pragma once

#include "common/dns01_protocol.hpp"
#include "master/dns_tsig_key.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

struct ldns_struct_rdf;

namespace lacme::master {

inline constexpr std::uint32_t dns_update_ttl = 60;
// TSIG's allowed clock difference (RFC 8945 §10: 300 s recommended).
inline constexpr std::uint16_t tsig_fudge = 300;

class dns_update {
public:
    // Throws lacme::error (the name is not in the zone, ldns refuses the key).
    dns_update(std::string_view zone, dns01_action action, const dns_record& record, const tsig_key& key,
               std::uint16_t id);
    dns_update(const dns_update&) = delete;
    dns_update& operator=(const dns_update&) = delete;
    dns_update(dns_update&&) noexcept = default;
    dns_update& operator=(dns_update&&) noexcept = default;
    ~dns_update();

    // The signed message (without TCP's length prefix).
    [[nodiscard]] const std::string& wire() const noexcept { return wire_; }

    struct failure {
        std::string reason;  // "rcode NOTAUTH (TSIG BADSIG)", "a malformed response"...
        bool refused;  // an error rcode answering this update: the zone did not change
    };
    // Why the response is not a success for this update: its rcode (with TSIG's error, e.g.
    // "NOTAUTH (TSIG BADSIG)"), or that it is malformed, not the answer to this message, or not
    // signed with the key. nullopt: NOERROR, verified.
    [[nodiscard]] std::optional<failure> failure_of(std::span<const std::uint8_t> response, const tsig_key& key) const;

private:
    struct rdf_free {
        void operator()(ldns_struct_rdf* rdf) const noexcept;
    };
    std::string wire_;
    std::unique_ptr<ldns_struct_rdf, rdf_free> mac_;  // the request's MAC, which the response's covers
    std::uint16_t id_;
};

// "NOERROR", "REFUSED", "NOTAUTH"... or "RCODE N".
[[nodiscard]] std::string dns_rcode_name(unsigned rcode);

// The zone name normalised (lower case, no trailing dot); whether name is in it.
[[nodiscard]] bool dns_name_in_zone(std::string_view name, std::string_view zone);

}  // namespace lacme::master
