// SPDX-License-Identifier: GPL-3.0-or-later
// The one line `lacme-accountd --relay=NAME` sends to the daemon's relay socket before the
// accountd protocol starts: which listener's policy applies to this connection, and who the SSH
// caller is (ssh/caller_identity), for the audit log. The daemon believes it only from a peer
// running as its own uid (doc/signing-host.md, "Many web hosts"):
//   lacme-relay 1 NAME IP PORT KEYTYPE KEYBASE64\n
// with "- -" for an unknown address or key. Parsed strictly: anything else is refused.
#pragma once

#include "ssh/caller_identity.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace lacme::accountd {

struct relay_header {
    std::string listener;  // a [listener NAME] of lacme-accountd.conf
    ssh::caller_identity caller;  // fields empty when unknown
};

// The longest header line, newline included: a name, an address and the largest key OpenSSH
// writes (ssh::max_public_key_base64) fit well within it.
inline constexpr std::size_t max_relay_header = std::size_t{20} * 1024;

// Listener names: what an authorized_keys forced command and an audit record carry unquoted.
[[nodiscard]] bool is_listener_name(std::string_view name);

// The line, newline included. Throws lacme::error if the name is not a listener name.
[[nodiscard]] std::string format_relay_header(const relay_header& header);

struct relay_header_result {
    std::optional<relay_header> header;
    std::string refusal;  // why not, when header is empty
};
// line: without its newline.
[[nodiscard]] relay_header_result parse_relay_header(std::string_view line);

}  // namespace lacme::accountd
