// SPDX-License-Identifier: GPL-3.0-or-later
// The account key's public half as a JWK, read from the token: the matching public key object
// (CKA_MODULUS/CKA_PUBLIC_EXPONENT or CKA_EC_PARAMS/CKA_EC_POINT), else CKA_PUBLIC_KEY_INFO, the
// private key's own RSA attributes, or a certificate with the same CKA_ID.
#pragma once

#include "common/jwk.hpp"
#include "pkcs11/session.hpp"

#include <nlohmann/json.hpp>

namespace lacme::pkcs11 {

struct token_public_key {
    jws_algorithm alg;
    nlohmann::json jwk;
    // Signature size in bytes: the modulus size for RSA, 2 x field size for ECDSA.
    std::size_t signature_size;
};

// Throws pkcs11::error when the key is neither RSA 2048..4096 nor EC P-256/P-384, or when no
// public half can be found.
token_public_key read_public_key(const session& s, CK_OBJECT_HANDLE private_key);

}  // namespace lacme::pkcs11
