// SPDX-License-Identifier: GPL-3.0-or-later
// The `subject` setting of a certificate section: "/type0=value0/type1=value1/..." read with the
// rules of `openssl req -subj` (OpenSSL 3), which Perl lacme passes it to.
#pragma once

#include "common/openssl_ptr.hpp"

#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::master {

struct subject_entry {
    int nid;
    std::string value;
    bool joins_previous;  // '+': another member of the previous multi-valued RDN
};

// '\' escapes the next character, '+' starts another member of the same RDN, entries with an
// empty value are left out (as openssl does); an unknown type is an error here (openssl only
// warns and drops it). Throws lacme::error.
std::vector<subject_entry> parse_subject(std::string_view text);

using x509_name_ptr = std::unique_ptr<X509_NAME, openssl_deleter<X509_NAME_free>>;

// The entries as `openssl req` encodes them (MBSTRING_ASC input, the library's default string mask).
x509_name_ptr make_x509_name(const std::vector<subject_entry>& entries);

}  // namespace lacme::master
