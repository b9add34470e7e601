// SPDX-License-Identifier: GPL-3.0-or-later
// lacme-accountd wire protocol, version 1 (byte-compatible with lacme 0.8.2):
//   server: "1 OK " GREETING-JSON "\r\n" JWK-JSON "\r\n"   (JWK is "{}" when a kid is set)
//   client: BASE64URL(header) "." BASE64URL(payload) "\r\n"
//   server: BASE64URL(signature) "\r\n"
// Shared by the daemon (which validates signing inputs) and the ACME client (which reads the
// greeting and requests signatures).
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace lacme {

inline constexpr int accountd_protocol_version = 1;
// Longest line either side accepts (without CRLF). ACME requests are a few KiB; a CSR for
// hundreds of names stays far below this.
inline constexpr std::size_t accountd_max_line = std::size_t{64} * 1024;

struct accountd_greeting {
    std::string alg;
    std::string jwk_thumbprint;
    std::optional<std::string> kid;
    nlohmann::json jwk;  // empty object when kid is set
};

// Both greeting lines, CRLF-terminated.
std::string format_accountd_greeting(const accountd_greeting& greeting);
// Parses the two greeting lines (without CRLF); throws lacme::error on anything malformed.
// An absent alg means RS256, as Perl's client assumes for old daemons.
accountd_greeting parse_accountd_greeting(std::string_view first_line, std::string_view jwk_line);

// A policy refusal, sent in place of a signature before accountd closes the connection
// (doc/accountd-protocol.md): "NOSIGN <reason>".
inline constexpr std::string_view accountd_refusal_prefix = "NOSIGN ";
// The one-line error for an answer that is a refusal ("lacme-accountd refused to sign: REASON",
// the reason made printable), nullopt for any other answer (without its line end).
std::optional<std::string> accountd_refusal_error(std::string_view answer);

enum class signing_input_verdict {
    ok,
    malformed_header,
    malformed_payload,
    invalid_header,
    // Ours, beyond lacme 0.8.2: a request that names another key is a confused (or hostile)
    // client, and the CA would reject its signature anyway.
    wrong_algorithm,
    foreign_jwk,
    kid_not_string,
};

// The account key as signing inputs must name it.
struct signing_key_identity {
    std::string alg;  // JWS alg, e.g. "ES256"
    nlohmann::json jwk;  // public members only
};

struct signing_input_check {
    signing_input_verdict verdict;
    std::string header;  // decoded protected header (JSON text), when base64url was valid
    std::string payload;  // decoded payload, when base64url was valid
};

// Validates one signing input (without CRLF) as lacme 0.8.2 does: base64url header, base64url
// payload (empty allowed: POST-as-GET), header a JSON object with alg, nonce, url and jwk or kid;
// and then that the header names key: its alg, its own JWK when jwk is present (compared as
// JSON values, so member order does not matter), and a string kid when kid is present.
signing_input_check check_signing_input(std::string_view line, const signing_key_identity& key);

std::string_view describe(signing_input_verdict verdict) noexcept;

}  // namespace lacme
