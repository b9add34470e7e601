// SPDX-License-Identifier: GPL-3.0-or-later
// Who is on the other end of a --stdio accountd run by sshd: the client's address from
// SSH_CONNECTION and, when sshd runs with "ExposeAuthInfo yes", the public key it authenticated
// with (the file named by SSH_USER_AUTH). For the audit log and log lines only: the policy that
// applies is chosen by the forced command in authorized_keys, never by anything here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lacme::ssh {

struct caller_identity {
    std::string address;  // "IP PORT" of the SSH client, empty when not under sshd
    std::string key;  // "TYPE BASE64" it authenticated with, empty when unknown
};

// From this process's environment (SSH_CONNECTION, SSH_USER_AUTH).
[[nodiscard]] caller_identity caller_from_environment();

// The same from explicit values (nullopt: variable unset). Malformed values give empty fields:
// the identity is only ever reported, so a bad one must not stop the signer.
[[nodiscard]] caller_identity caller_from(std::optional<std::string_view> ssh_connection,
                                          std::optional<std::string_view> ssh_user_auth);

// "IP PORT" from SSH_CONNECTION ("CLIENT-IP CLIENT-PORT SERVER-IP SERVER-PORT"); empty unless
// both are valid (an IPv4 or IPv6 address, a port 1-65535).
[[nodiscard]] std::string address_from_ssh_connection(std::string_view value);

// Whether text is "IP PORT" as address_from_ssh_connection returns it.
[[nodiscard]] bool is_caller_address(std::string_view text);

// The key of the first "publickey TYPE BASE64" line of an ExposeAuthInfo file; empty if none.
[[nodiscard]] std::string key_from_auth_info(std::string_view contents);

// The ExposeAuthInfo file is small; anything bigger is not sshd's.
inline constexpr std::size_t max_auth_info_size = std::size_t{64} * 1024;

// For log lines: "local" outside ssh, else e.g. "127.0.0.1 port 40022 key ssh-ed25519 SHA256:...".
[[nodiscard]] std::string describe(const caller_identity& caller);

}  // namespace lacme::ssh
