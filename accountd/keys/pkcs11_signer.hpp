// SPDX-License-Identifier: GPL-3.0-or-later
// The account key on a PKCS#11 token (privkey = pkcs11:...): the token signs, the key never
// leaves it. Owns the module and the key (pkcs11::loaded_key), so it must be destroyed before
// main returns.
#pragma once

#include "accountd/keys/signer.hpp"
#include "pkcs11/loaded_key.hpp"

#include <string>
#include <string_view>

namespace lacme::accountd {

class pkcs11_signer final : public signer {
public:
    // uri_text: the whole "pkcs11:..." value of privkey. Throws lacme::error (pkcs11::error).
    pkcs11_signer(std::string_view uri_text, pkcs11::load_options options);

    [[nodiscard]] jws_algorithm algorithm() const noexcept override { return loaded_.key().algorithm(); }
    [[nodiscard]] const nlohmann::json& jwk() const noexcept override { return loaded_.key().jwk(); }
    [[nodiscard]] std::vector<std::uint8_t> sign(std::string_view signing_input) override;

    [[nodiscard]] const std::string& description() const noexcept { return loaded_.key().description(); }

private:
    pkcs11::loaded_key loaded_;
};

}  // namespace lacme::accountd
