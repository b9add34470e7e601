// SPDX-License-Identifier: GPL-3.0-or-later
// `client newOrders CONFIG_FD SOCKET_FD` (this project's extension, announced as "newOrders" by
// `client capabilities`): one client process serves a sequence of orders over one accountd
// connection and one TLS connection, instead of one process per certificate section. The master
// writes one request on the client's stdin and reads its answer on the client's stdout before
// it sends the next; each is one JSON object on one line ending in "\n":
//
//   request: {"section":S,"identifiers":[NAME...],"csr":B64URL(DER)[,"replaces":ARI-ID]
//             [,"preferred-chain":ISSUER-CN]}
//   answer:  {"section":S,"chain":PEM}      the order's chain
//            {"section":S,"error":LINE}     this order failed (the CA, accountd's refusal...)
//
// A section's failure is its answer and the client goes on; a fatal error (accountd's link is
// gone, a line that breaks this framing) ends the client with an "Error: " line and status 1,
// the order in flight unanswered.
// End of stdin ends the client with status 0. The answer names the section of the request: a
// master takes an answer for any other section as broken framing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lacme {

// A request carries a CSR (at most 1 MiB as DER), an answer a chain (at most 1 MiB as PEM),
// both grown by their encoding: one bound for every line, either way.
inline constexpr std::size_t order_batch_max_line = std::size_t{3} * 1024 * 1024;
inline constexpr std::size_t order_batch_max_section = 256;
inline constexpr std::size_t order_batch_max_error = 4096;

struct order_batch_request {
    std::string section;
    std::vector<std::string> identifiers;  // DNS names or IP addresses, at least one
    std::string csr_der;
    std::string replaces;  // ARI identifier, or empty
    std::optional<std::string> preferred_chain;

    bool operator==(const order_batch_request&) const = default;
};

struct order_batch_answer {
    std::string section;
    std::optional<std::string> chain;  // set on success
    std::string error;  // one printable line, set on failure

    bool operator==(const order_batch_answer&) const = default;
};

// With the line end. Throws lacme::error for a request the other side would refuse (empty
// section or identifiers, no CSR).
[[nodiscard]] std::string format_order_batch_request(const order_batch_request& request);
// Without the line end. Throws lacme::error, with a one-line reason, for anything but a
// well-formed request.
[[nodiscard]] order_batch_request parse_order_batch_request(std::string_view line);

// With the line end; the error is made one printable line.
[[nodiscard]] std::string format_order_batch_answer(const order_batch_answer& answer);
// Without the line end. Throws lacme::error for anything but a well-formed answer: exactly one
// of chain (non-empty) and error.
[[nodiscard]] order_batch_answer parse_order_batch_answer(std::string_view line);

}  // namespace lacme
