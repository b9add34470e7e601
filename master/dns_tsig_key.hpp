// SPDX-License-Identifier: GPL-3.0-or-later
// A TSIG key for RFC 2136 updates (dns-tsig-key), in BIND's key format as written by
// `tsig-keygen` and read by `nsupdate -k`:
//     key "lacme" { algorithm hmac-sha256; secret "BASE64"; };
// The file holds a secret: it must be root's and not readable by group or others, and it is read
// through an fd opened with O_NOFOLLOW. The secret stays in locked memory (secret_string) and is
// never part of a message.
#pragma once

#include "common/secret.hpp"

#include <sys/types.h>

#include <array>
#include <string>
#include <string_view>

namespace lacme::master {

// The algorithms Debian's libldns signs and verifies (its hmac-sha384 is misspelt in 1.8.3, and
// hmac-sha224 and hmac-md5 are not offered).
inline constexpr std::array tsig_algorithms = {"hmac-sha256", "hmac-sha512", "hmac-sha1"};

struct tsig_key {
    std::string name;  // the key's name, lower case, without a trailing dot
    std::string algorithm;  // one of tsig_algorithms
    secret_string secret;  // base64, as in the file
};

// One key statement (comments, blanks and line breaks as BIND allows). Throws lacme::error
// ("FILE: ..."), never quoting the secret.
[[nodiscard]] tsig_key parse_tsig_key(std::string_view text, const std::string& file);

// Opens path with O_NOFOLLOW, refuses a file that is not a regular file owned by root
// (owner_uid, a parameter for the tests) or that group or others may read or write, then parses
// it. Throws lacme::error naming the file.
[[nodiscard]] tsig_key read_tsig_key(const std::string& path, uid_t owner_uid = 0);

}  // namespace lacme::master
