// SPDX-License-Identifier: GPL-3.0-or-later
// What lacme 0.8 prints on standard output for each new certificate (newOrder) and each
// certificate it revokes: `openssl x509 -noout -fingerprint -sha256 -text -certopt
// no_header,no_version,no_pubkey,no_sigdump[,no_extensions]`, byte for byte, made in-process.
// Cron mails it: it is how lacme 0.8's users see that a certificate was renewed.
#pragma once

#include <openssl/x509.h>

#include <string>

namespace lacme::master {

enum class certificate_extensions { shown, hidden };

// Throws lacme::error when OpenSSL cannot print it.
std::string certificate_text(X509& certificate, certificate_extensions extensions);

}  // namespace lacme::master
