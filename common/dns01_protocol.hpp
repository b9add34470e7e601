// SPDX-License-Identifier: GPL-3.0-or-later
// dns-01 between the client and this project's master, over the client's accountd socket
// (SOCKET_FD): the master relays that socket line by line, and keeps for itself the lines that
// begin with "dns-01 " (never a signing input: those are base64url and '.'). The client holds
// no DNS credentials; the master publishes through its dns-hook and computes nothing secret.
//
//   client: dns-01 publish NAME VALUE [NAME VALUE]...\r\n
//   master: dns-01 published\r\n               (every record added and seen by the servers)
//   client: dns-01 remove NAME VALUE [NAME VALUE]...\r\n
//   master: dns-01 removed\r\n
//   either: dns-01 failed REASON\r\n           (one printable line)
//
// NAME is "_acme-challenge." + an identifier of the order without its "*." (no trailing dot),
// VALUE is base64url(SHA-256(key authorization)) (RFC 8555 §8.4): 43 characters. One request at
// a time, never while a signature is awaited; the master answers each. The master accepts only
// the names of the section's identifiers, and removes whatever is left published when the
// client ends. Perl lacme's master passes the line to accountd, which refuses it: dns-01 needs
// our master, which says so by putting "challenge": "dns-01" in the client's CONFIG_FD.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lacme {

inline constexpr std::string_view dns01_line_prefix = "dns-01 ";
inline constexpr std::string_view dns01_record_prefix = "_acme-challenge.";

struct dns_record {
    std::string name;  // _acme-challenge.example.org
    std::string value;  // base64url SHA-256, 43 characters

    bool operator==(const dns_record&) const = default;
};

enum class dns01_action { publish, remove };

struct dns01_request {
    dns01_action action;
    std::vector<dns_record> records;
};

[[nodiscard]] bool is_dns01_line(std::string_view line) noexcept;

// Without the line end.
[[nodiscard]] std::string format_dns01_request(const dns01_request& request);
// Throws lacme::error for anything but a well-formed request (names and values checked).
[[nodiscard]] dns01_request parse_dns01_request(std::string_view line);

// "_acme-challenge.example.org" for "example.org" and "*.example.org".
[[nodiscard]] std::string dns01_record_name(std::string_view identifier);

// The master's answers, without the line end.
[[nodiscard]] std::string dns01_done_answer(dns01_action action);
[[nodiscard]] std::string dns01_failed_answer(std::string_view reason);
// Throws lacme::error with the master's reason unless the answer is the one `action` expects.
void check_dns01_answer(dns01_action action, std::string_view answer);

}  // namespace lacme
