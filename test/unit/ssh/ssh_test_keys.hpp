// SPDX-License-Identifier: GPL-3.0-or-later
// OpenSSH public keys (made with ssh-keygen) and their fingerprints, for the ssh/ unit tests.
#pragma once

#include <string_view>

namespace lacme::test {

inline constexpr std::string_view ed25519_key =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJX5D9stTGEeTj+DWSJAy4q5OPKPddifMi+MYN5U63hC";
inline constexpr std::string_view ed25519_fingerprint = "SHA256:D/DY4fIW+tV6c4dvfMEUpAF8WOeigzT81+ON9Pw1Erg";
inline constexpr std::string_view ecdsa_key =
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBNRfD98vuhlRAOYqQWR0mDhCWLL0"
    "kv6JHhZlTJoLQzgQVnp/FNqbzE0J/ZhWHjVIRhugbT6IuchxW3Udh3ZIPvY=";
inline constexpr std::string_view ecdsa_fingerprint = "SHA256:n4IIqBjRaAUF8iCY+dKEOgUCg/yrfUNxuS90fZww5vw";

}  // namespace lacme::test
