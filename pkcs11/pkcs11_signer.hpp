// lacme-accountd's PKCS#11 key backend (privkey = pkcs11:...): owns the module and the token key,
// and tears both down (sessions, logout, C_Finalize) when destroyed — which must happen before
// main returns, never from a static destructor.
#pragma once

#include "accountd/signer.hpp"
#include "pkcs11/module.hpp"
#include "pkcs11/token_key.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace lacme::pkcs11 {

struct signer_options {
    // --pkcs11-module / pkcs11-module; the URI's module-path/module-name win over it.
    std::string module;
    key_options key;
};

class pkcs11_signer final : public accountd::signer {
public:
    // uri_text: the whole "pkcs11:..." value of privkey. Throws lacme::error (pkcs11::error).
    pkcs11_signer(std::string_view uri_text, signer_options options);
    ~pkcs11_signer() override;

    [[nodiscard]] jws_algorithm algorithm() const noexcept override { return key_->algorithm(); }
    [[nodiscard]] const nlohmann::json& jwk() const noexcept override { return key_->jwk(); }
    [[nodiscard]] std::vector<std::uint8_t> sign(std::string_view signing_input) override
    {
        return key_->sign(signing_input);
    }

    [[nodiscard]] const std::string& description() const noexcept { return key_->description(); }
    [[nodiscard]] token_key& key() noexcept { return *key_; }

private:
    // Declared first, destroyed last: the key's sessions close before C_Finalize.
    std::unique_ptr<module> module_;
    std::unique_ptr<token_key> key_;
};

}  // namespace lacme::pkcs11
