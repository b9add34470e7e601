// SPDX-License-Identifier: GPL-3.0-or-later
// `lacme-accountd --authorized-keys-line`: the authorized_keys line that lets one web host's
// SSH key run the signer under its policy and nothing else, so operators never hand-write the
// quoting of a forced command.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lacme::ssh {

struct authorized_keys_request {
    std::string accountd;  // lacme-accountd as the forced command runs it (absolute)
    std::string policy;  // the web host's policy file (--stdio lines)
    std::optional<std::string> relay;  // or its listener in the daemon's config (--relay lines)
    std::optional<std::string> config;  // lacme-accountd.conf, when not the signer user's default
    std::optional<std::string> from;  // sshd pattern-list of the addresses the key may come from
    std::string public_key_file;  // the web host's public key (one OpenSSH line)
};

// `restrict[,from="PATTERNS"],command="ACCOUNTD --quiet --stdio [--config=ABS] --policy=ABS" KEY`,
// or with a relay: `...command="ACCOUNTD --quiet --relay=NAME [--config=ABS]" KEY`, NAME being
// a listener name (letters, digits, . _ -).
// Relative paths are made absolute from the working directory; the policy (and config) must be
// regular files. Throws lacme::error (one line) for anything that cannot be written into the
// line safely: sshd unquotes only \" inside an option and the forced command then goes through
// the signer user's shell, so paths are limited to [A-Za-z0-9/._+,:@=-] and patterns to what
// sshd's from= understands; the key file must hold exactly one plain public key line.
[[nodiscard]] std::string authorized_keys_line(const authorized_keys_request& request);

// The largest public key file read (one key line is a few KiB at most).
inline constexpr std::size_t max_public_key_file = std::size_t{32} * 1024;

}  // namespace lacme::ssh
