// SPDX-License-Identifier: GPL-3.0-or-later
// One OpenSSH public key as authorized_keys and sshd's ExposeAuthInfo write it:
// "TYPE BASE64 [COMMENT]". Parsed strictly, since the text comes from outside (a file an
// operator was handed, a file sshd wrote into a session a caller controls).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lacme::ssh {

struct openssh_public_key {
    std::string type;  // e.g. "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-ed25519-cert-v01@openssh.com"
    std::string base64;  // the key blob, standard base64 with padding as OpenSSH writes it
    std::string comment;  // printable ASCII, possibly empty

    // "TYPE BASE64": the key without its comment, as logs carry it.
    [[nodiscard]] std::string text() const { return type + " " + base64; }
    // Whether this is a certificate ("...-cert-v01@openssh.com"), not a plain key.
    [[nodiscard]] bool is_certificate() const { return type.ends_with("-cert-v01@openssh.com"); }
};

// The largest blob text accepted: far above a 16384-bit RSA key or a certificate with options.
inline constexpr std::size_t max_public_key_base64 = 16384;

// Parses "TYPE BASE64" optionally followed by a space and a comment of printable ASCII.
// nullopt unless TYPE is a plausible key type name ([A-Za-z0-9@._-], at most 64), BASE64 is
// canonical standard base64 of at most max_public_key_base64 characters, and the blob starts
// with the same type name (the SSH wire encoding: uint32 length, then the name).
[[nodiscard]] std::optional<openssh_public_key> parse_openssh_public_key(std::string_view line);

// "SHA256:..." as ssh-keygen -l and sshd's log show it, to correlate our log with sshd's.
[[nodiscard]] std::string fingerprint(const openssh_public_key& key);

}  // namespace lacme::ssh
