// SPDX-License-Identifier: GPL-3.0-or-later
// Account key held in memory, loaded from PEM (PKCS#8 or traditional, optionally encrypted):
// the file: and gpg: key stores.
#pragma once

#include "accountd/keys/passphrase_callback.hpp"
#include "accountd/keys/signer.hpp"
#include "common/openssl_ptr.hpp"
#include "common/secret.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace lacme::accountd {

class file_signer final : public signer {
public:
    // Asked only when the PEM is encrypted.
    using passphrase_source = accountd::passphrase_source;

    // origin names the key in error messages (a path, never key material).
    static std::unique_ptr<file_signer> from_pem(std::string_view pem, const std::string& origin,
                                                 const passphrase_source& passphrase);

    file_signer(evp_pkey_ptr key, account_public_key pub);

    [[nodiscard]] jws_algorithm algorithm() const noexcept override { return alg_; }
    [[nodiscard]] const nlohmann::json& jwk() const noexcept override { return jwk_; }
    [[nodiscard]] std::vector<std::uint8_t> sign(std::string_view signing_input) override;
    [[nodiscard]] bool signs_without_blocking() const noexcept override { return true; }

private:
    evp_pkey_ptr key_;  // read-only after construction: EVP_PKEY is safe to sign with concurrently
    // Initialised once; each signature works on a copy, which skips the provider fetches
    // that dominate the cost of a P-256 signature.
    evp_md_ctx_ptr template_;
    jws_algorithm alg_;
    nlohmann::json jwk_;
};

}  // namespace lacme::accountd
