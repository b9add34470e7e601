// The issued chain checked in-process the way Perl lacme runs
// `openssl verify -trusted CAfile -untrusted INTERMEDIATES -purpose sslserver -x509_strict LEAF`.
#pragma once

#include "common/openssl_ptr.hpp"

#include <openssl/x509_vfy.h>

#include <memory>
#include <span>
#include <string>

namespace lacme::master {

using x509_store_ptr = std::unique_ptr<X509_STORE, openssl_deleter<X509_STORE_free>>;

// The trust anchors of a CAfile. Throws lacme::error naming the file when it can't be read or
// holds no certificate.
x509_store_ptr load_trust_store(const std::string& ca_file);

// chain: the leaf first, then the intermediates. Throws lacme::error with OpenSSL's reason.
void verify_server_chain(std::span<const x509_ptr> chain, X509_STORE& trusted);

}  // namespace lacme::master
