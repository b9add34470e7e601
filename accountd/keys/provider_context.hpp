// SPDX-License-Identifier: GPL-3.0-or-later
// The OpenSSL library context store: keys live in (privkey = store:URI, --list-keys), with the
// providers they need loaded into it. A context of our own keeps those providers (a TPM's, an
// HSM's) away from the rest of the process: hashing and verification elsewhere still use the
// default provider. Providers unload, and the context is freed, when this is destroyed.
#pragma once

#include "common/openssl_ptr.hpp"

#include <openssl/crypto.h>
#include <openssl/provider.h>

#include <memory>
#include <string>
#include <vector>

namespace lacme::accountd {

class provider_context {
public:
    // names: providers to load (--provider / provider), with "default" added. None named: the
    // user's OpenSSL configuration decides (OPENSSL_CONF, else the system openssl.cnf).
    // Throws lacme::error naming a provider that does not load.
    explicit provider_context(const std::vector<std::string>& names);

    [[nodiscard]] OSSL_LIB_CTX* get() const noexcept { return libctx_.get(); }

private:
    using libctx_ptr = std::unique_ptr<OSSL_LIB_CTX, openssl_deleter<OSSL_LIB_CTX_free>>;
    using provider_ptr = std::unique_ptr<OSSL_PROVIDER, openssl_deleter<OSSL_PROVIDER_unload>>;

    libctx_ptr libctx_;  // declared first: freed after the providers unload
    std::vector<provider_ptr> providers_;
};

}  // namespace lacme::accountd
