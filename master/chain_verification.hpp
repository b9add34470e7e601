// SPDX-License-Identifier: GPL-3.0-or-later
// The issued chain checked in-process the way Perl lacme runs
// `openssl verify -trusted CAfile -untrusted INTERMEDIATES -purpose sslserver -x509_strict LEAF`.
#pragma once

#include "common/openssl_ptr.hpp"

#include <openssl/x509_vfy.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace lacme::master {

using x509_store_ptr = std::unique_ptr<X509_STORE, openssl_deleter<X509_STORE_free>>;

// The trust anchors of a CAfile. Throws lacme::error naming the file when it can't be read or
// holds no certificate.
x509_store_ptr load_trust_store(const std::string& ca_file);

// chain: the leaf first, then the intermediates. Returns the path OpenSSL verified, leaf first,
// without its trust anchor when that is self-signed (a root: the service need not send it);
// certificates of chain that are not on the path are not in it. Throws lacme::error with
// OpenSSL's reason.
std::vector<x509_ptr> verify_server_chain(std::span<const x509_ptr> chain, X509_STORE& trusted);

// Without a CAfile: the certificates of chain up to the first one that did not issue the one
// before it (by name and signature), copied.
std::vector<x509_ptr> issuing_prefix(std::span<const x509_ptr> chain);

}  // namespace lacme::master
