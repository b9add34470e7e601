// SPDX-License-Identifier: GPL-3.0-or-later
// The Certificate Signing Request of a section, built in-process the way Perl lacme's
// `openssl req -new -key KEY [-HASH] -subj SUBJECT -reqexts v3_req` builds it.
#pragma once

#include "master/certificate_config.hpp"

#include <vector>

namespace lacme::master {

// DER. Extensions, in this order: basicConstraints critical CA:FALSE, subjectKeyIdentifier,
// keyUsage (critical), subjectAltName, tlsfeature. Throws lacme::error.
std::vector<unsigned char> build_csr(const certificate_section& section);

}  // namespace lacme::master
