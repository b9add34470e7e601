// SPDX-License-Identifier: GPL-3.0-or-later
// The files a certificate section names, read as root by the master: the service key (never
// written, never passed to a child) and an installed certificate.
#pragma once

#include "common/openssl_ptr.hpp"

#include <chrono>
#include <string>

namespace lacme::master {

// An unencrypted PEM private key (no passphrase prompt). Throws lacme::error naming path.
evp_pkey_ptr load_service_key(const std::string& path);

// The first certificate of a PEM file. Throws lacme::error naming path.
x509_ptr read_certificate_file(const std::string& path);

// The certificate in DER, as the client reads it on stdin.
std::string der_of(X509& certificate);

std::chrono::system_clock::time_point expiry_of(const X509& certificate);

bool certificate_matches_key(const X509& certificate, const EVP_PKEY& key);

}  // namespace lacme::master
