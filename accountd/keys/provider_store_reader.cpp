// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/keys/provider_store_reader.hpp"

#include "common/error.hpp"
#include "common/openssl_error.hpp"
#include "pkcs11/uri.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>

namespace lacme::accountd {

std::string store_display_name(std::string_view uri)
{
    return "store:" + pkcs11::uri::redact(uri);
}

evp_pkey_ptr public_half(EVP_PKEY* key)
{
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(key, &der);
    if (len <= 0)
        throw_openssl("encoding the public key");
    const openssl_memory_ptr<unsigned char> owned(der);
    const unsigned char* p = der;
    evp_pkey_ptr pub(d2i_PUBKEY(nullptr, &p, len));
    if (!pub)
        throw_openssl("decoding the public key");
    return pub;
}

provider_store_reader::provider_store_reader(const provider_context& providers, const std::string& uri,
                                             passphrase_source passphrase)
    : name_(store_display_name(uri)), source_(std::move(passphrase)),
      ui_(UI_UTIL_wrap_read_pem_callback(passphrase_callback, 0))
{
    request_.source = &source_;
    if (!ui_)
        throw_openssl("UI_UTIL_wrap_read_pem_callback");
    store_.reset(
        OSSL_STORE_open_ex(uri.c_str(), providers.get(), nullptr, ui_.get(), &request_, nullptr, nullptr, nullptr));
    if (!store_) {
        if (!request_.error.empty()) {
            ERR_clear_error();
            throw error(name_ + ": " + request_.error);
        }
        throw_openssl("cannot open " + name_ + " (is the provider that serves it loaded? see --provider)");
    }
}

store_info_ptr provider_store_reader::next()
{
    store_info_ptr info;
    if (OSSL_STORE_eof(store_.get()) != 1)
        info.reset(OSSL_STORE_load(store_.get()));
    if (!info && !request_.error.empty()) {
        ERR_clear_error();
        throw error(name_ + ": " + request_.error);
    }
    // Asked, and then nothing decoded: OpenSSL's reasons ("unsupported", "bad decrypt") vary
    // by loader, that is what identifies a refused passphrase.
    if (!info && objects_ == 0 && request_.asked) {
        ERR_clear_error();
        throw error(name_ + ": wrong passphrase or PIN (or a damaged key)");
    }
    if (!info && OSSL_STORE_error(store_.get()) == 1 && OSSL_STORE_eof(store_.get()) != 1)
        throw_openssl("reading " + name_);
    ERR_clear_error();
    if (info)
        ++objects_;
    return info;
}

}  // namespace lacme::accountd
