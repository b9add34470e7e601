// SPDX-License-Identifier: GPL-3.0-or-later
// JWS signature encodings (RFC 7518 §3.4): ECDSA signatures travel as fixed-size r||s, while
// OpenSSL produces and verifies DER. Also a verifier, used by tests and the client's self-checks.
#pragma once

#include "common/jwk.hpp"

#include <openssl/evp.h>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace lacme {

std::vector<std::uint8_t> ecdsa_der_to_raw(std::span<const std::uint8_t> der, std::size_t raw_size);
std::vector<std::uint8_t> ecdsa_raw_to_der(std::span<const std::uint8_t> raw);

// Signs signing_input with ctx (after EVP_DigestSignInit for alg's digest and key) and returns
// the signature in JWS form. Throws lacme::error.
std::vector<std::uint8_t> jws_digest_sign(EVP_MD_CTX* ctx, jws_algorithm alg, std::string_view signing_input);

// Verifies a JWS signature (RS256: PKCS#1 v1.5; ES256/ES384: raw r||s) over signing_input.
bool jws_verify(EVP_PKEY* key, jws_algorithm alg, std::string_view signing_input,
                std::span<const std::uint8_t> signature);

}  // namespace lacme
