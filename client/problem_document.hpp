// SPDX-License-Identifier: GPL-3.0-or-later
// RFC 7807 problem documents as ACME CAs send them (RFC 8555 §6.7), condensed into one readable
// line: "TYPE: detail (identifier: subproblem; ...)". Parsing never throws: a CA that sends junk
// still gets its HTTP status reported.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace lacme::client {

inline constexpr std::string_view acme_error_prefix = "urn:ietf:params:acme:error:";

struct problem_document {
    std::string type;  // full URN, e.g. urn:ietf:params:acme:error:badNonce ("about:blank" if absent)
    std::string detail;  // may be empty
    std::optional<int> status;
    std::string subproblems;  // already condensed: "dns:a.example: rejectedIdentifier: ...; ..."

    // "badNonce" for urn:ietf:params:acme:error:badNonce, else the whole type.
    [[nodiscard]] std::string short_type() const;
    [[nodiscard]] bool is(std::string_view acme_type) const;  // is("badNonce")
    [[nodiscard]] std::string one_line() const;
};

// From a parsed JSON object (also the "error" member of orders, authorizations, challenges).
std::optional<problem_document> problem_from_json(const nlohmann::json& object);
// From a response body; nullopt when it is not a JSON object.
std::optional<problem_document> parse_problem_document(std::string_view body);

}  // namespace lacme::client
