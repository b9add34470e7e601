// SPDX-License-Identifier: GPL-3.0-or-later
// One pass over the objects an OSSL_STORE URI names (a key in a provider, a PEM file, a
// directory), loaded in a provider_context. The providers' passphrase/PIN prompts reach lacme's
// passphrase source (a file or the terminal, never argv): OSSL_STORE takes a UI_METHOD, which
// libcrypto hands to the provider as its OSSL_PASSPHRASE_CALLBACK, and which asks our source at
// most once per URI (libcrypto caches the answer for the open store).
#pragma once

#include "accountd/keys/passphrase_callback.hpp"
#include "accountd/keys/provider_context.hpp"

#include <openssl/store.h>
#include <openssl/ui.h>

#include <memory>
#include <string>
#include <string_view>

namespace lacme::accountd {

// "store:URI" for messages and prompts: a PKCS#11 pin-value in the URI is hidden.
std::string store_display_name(std::string_view uri);

// The public half of a provider's key as a key of OpenSSL's default provider, through its
// SubjectPublicKeyInfo: what providers answer for single parameters varies (tpm2-openssl gives
// an RSA exponent of 0, the TPM's way of saying 65537), their SPKI encoding does not. Throws
// lacme::error.
evp_pkey_ptr public_half(EVP_PKEY* key);

using store_info_ptr = std::unique_ptr<OSSL_STORE_INFO, openssl_deleter<OSSL_STORE_INFO_free>>;

class provider_store_reader {
public:
    // uri: what follows "store:". Throws lacme::error when the URI does not open.
    provider_store_reader(const provider_context& providers, const std::string& uri, passphrase_source passphrase);
    provider_store_reader(const provider_store_reader&) = delete;
    provider_store_reader& operator=(const provider_store_reader&) = delete;

    // The next object, empty at the end. Throws lacme::error on a loader error, and when the
    // passphrase source was asked and nothing could be read.
    [[nodiscard]] store_info_ptr next();

    // The URI for messages: a PKCS#11 pin-value in it is hidden.
    [[nodiscard]] const std::string& name() const noexcept { return name_; }

private:
    using ui_method_ptr = std::unique_ptr<UI_METHOD, openssl_deleter<UI_destroy_method>>;
    using store_ctx_ptr = std::unique_ptr<OSSL_STORE_CTX, openssl_deleter<OSSL_STORE_close>>;

    std::string name_;
    passphrase_source source_;
    passphrase_request request_;
    std::size_t objects_ = 0;  // returned so far
    ui_method_ptr ui_;
    store_ctx_ptr store_;  // declared last: closed before the UI method it uses is destroyed
};

}  // namespace lacme::accountd
