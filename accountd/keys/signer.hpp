// SPDX-License-Identifier: GPL-3.0-or-later
// The account key as lacme-accountd sees it: a public JWK and a JWS signing operation. One
// implementation per key store (PEM file, gpg-encrypted file, PKCS#11 token, or an OpenSSL 3
// provider's store such as a TPM: provider_store_signer).
#pragma once

#include "common/jwk.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace lacme::accountd {

class signer {
public:
    virtual ~signer() = default;

    [[nodiscard]] virtual jws_algorithm algorithm() const noexcept = 0;
    // Public members only (RFC 7638 form).
    [[nodiscard]] virtual const nlohmann::json& jwk() const noexcept = 0;
    // The JWS signature of signing_input (RSASSA-PKCS1-v1_5 bytes, or raw r||s for ECDSA).
    // Called concurrently from worker threads; implementations serialise internally where their
    // key store requires it. Throws lacme::error.
    [[nodiscard]] virtual std::vector<std::uint8_t> sign(std::string_view signing_input) = 0;
    // True when sign() only computes (in-memory key): the event loop then signs inline, which
    // is cheaper than a hand-off to a worker thread. Token-backed keys may wait on hardware.
    [[nodiscard]] virtual bool signs_without_blocking() const noexcept { return false; }
};

}  // namespace lacme::accountd
