// SPDX-License-Identifier: GPL-3.0-or-later
// The account key in an OpenSSL 3 provider (privkey = store:URI): a TPM through tpm2-openssl
// (store:handle:0x81000001), a token through pkcs11-provider, or simply store:file:PATH. Loaded
// with OSSL_STORE, signed with EVP_DigestSign as file keys are; the provider keeps the private
// key (a TPM never hands it out). Owns its provider_context, so the key is freed before the
// providers unload.
#pragma once

#include "accountd/keys/passphrase_callback.hpp"
#include "accountd/keys/provider_context.hpp"
#include "accountd/keys/signer.hpp"

#include <mutex>
#include <string>
#include <vector>

namespace lacme::accountd {

class provider_store_signer final : public signer {
public:
    // uri: what follows "store:"; providers: --provider names (see provider_context).
    // passphrase: asked only when the provider wants a passphrase or PIN. Throws lacme::error.
    provider_store_signer(const std::string& uri, const std::vector<std::string>& providers,
                          passphrase_source passphrase);

    [[nodiscard]] jws_algorithm algorithm() const noexcept override { return alg_; }
    [[nodiscard]] const nlohmann::json& jwk() const noexcept override { return jwk_; }
    [[nodiscard]] std::vector<std::uint8_t> sign(std::string_view signing_input) override;

    // "store:URI (provider NAME)", for logs.
    [[nodiscard]] const std::string& description() const noexcept { return description_; }

private:
    provider_context providers_;
    evp_pkey_ptr key_;
    jws_algorithm alg_{};
    nlohmann::json jwk_;
    std::string digest_;
    std::string description_;
    // Providers other than OpenSSL's own talk to one device through one handle (tpm2-openssl's
    // ESYS context is not thread-safe): their signatures take turns.
    bool one_at_a_time_ = true;
    std::mutex device_;
};

}  // namespace lacme::accountd
