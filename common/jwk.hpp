// SPDX-License-Identifier: GPL-3.0-or-later
// JSON Web Keys (RFC 7517/7518) for account keys, their RFC 7638 thumbprints, and the JWS
// algorithm each key type signs with.
#pragma once

#include "common/openssl_ptr.hpp"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace lacme {

enum class jws_algorithm { rs256, es256, es384 };

std::string_view jws_algorithm_name(jws_algorithm alg) noexcept;
// Digest the algorithm signs over (SHA-256 or SHA-384).
const EVP_MD* jws_algorithm_digest(jws_algorithm alg) noexcept;
// r||s size of an ECDSA JWS signature; 0 for RSA.
std::size_t jws_ecdsa_signature_size(jws_algorithm alg) noexcept;

// Public key members only, in the form RFC 7638 hashes.
nlohmann::json rsa_jwk(std::span<const std::uint8_t> modulus, std::span<const std::uint8_t> exponent);
// curve: "P-256" or "P-384"; x, y: big-endian, left-padded to the field size.
nlohmann::json ec_jwk(std::string_view curve, std::span<const std::uint8_t> x, std::span<const std::uint8_t> y);

struct account_public_key {
    jws_algorithm alg;
    nlohmann::json jwk;
};

// Accepts RSA 2048..4096 bits and EC P-256/P-384; anything else is a lacme::error naming it.
account_public_key account_public_key_from(EVP_PKEY* key);

// The public key a JWK describes (RSA, or EC P-256/P-384), for verifying signatures against
// what a signer announced. Throws lacme::error on anything else.
evp_pkey_ptr public_key_from_jwk(const nlohmann::json& jwk);

// Compact, sorted-keys JSON: byte-identical to Perl's JSON->canonical->encode for a JWK.
std::string canonical_json(const nlohmann::json& value);

// base64url(SHA-256(canonical JWK)), RFC 7638 §3 / RFC 8555 §8.1.
std::string jwk_thumbprint(const nlohmann::json& jwk);

}  // namespace lacme
