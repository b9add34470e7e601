// SPDX-License-Identifier: GPL-3.0-or-later
// Certificates in PEM text (a chain from the CA, an installed certificate file) read into
// owned X509 objects, and written back.
#pragma once

#include "common/openssl_ptr.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace lacme {

// Every CERTIFICATE block, in order (text between blocks is ignored). Throws lacme::error when
// there is none, one is malformed, or there are more than max_certificates.
std::vector<x509_ptr> read_pem_certificates(std::string_view pem, std::size_t max_certificates = 20);

// The certificate as one "-----BEGIN CERTIFICATE-----" block.
std::string pem_of(X509& certificate);

}  // namespace lacme
