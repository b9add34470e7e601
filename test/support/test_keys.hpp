// SPDX-License-Identifier: GPL-3.0-or-later
// Test helpers: account keys generated in-test with OpenSSL 3 EVP APIs (no committed key files),
// PEM serialisation in every format accountd reads, and a signature verifier written
// independently of common/jws_signature so the two cannot share a bug.
#pragma once

#include "common/openssl_ptr.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dsa.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::test {

inline evp_pkey_ptr generate_rsa(std::size_t bits)
{
    evp_pkey_ptr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits));
    if (!key)
        throw std::runtime_error("RSA key generation failed");
    return key;
}

// curve: "P-256", "P-384", "P-521"
inline evp_pkey_ptr generate_ec(const char* curve)
{
    evp_pkey_ptr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
    if (!key)
        throw std::runtime_error(std::string("EC key generation failed for ") + curve);
    return key;
}

inline evp_pkey_ptr generate_ed25519()
{
    evp_pkey_ptr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    if (!key)
        throw std::runtime_error("Ed25519 key generation failed");
    return key;
}

inline evp_pkey_ptr generate_dsa()
{
    const evp_pkey_ctx_ptr pctx(EVP_PKEY_CTX_new_from_name(nullptr, "DSA", nullptr));
    EVP_PKEY* params = nullptr;
    if (!pctx || EVP_PKEY_paramgen_init(pctx.get()) != 1 || EVP_PKEY_CTX_set_dsa_paramgen_bits(pctx.get(), 1024) != 1 ||
        EVP_PKEY_CTX_set_dsa_paramgen_q_bits(pctx.get(), 160) != 1 || EVP_PKEY_paramgen(pctx.get(), &params) != 1)
        throw std::runtime_error("DSA parameter generation failed");
    const evp_pkey_ptr owned_params(params);
    const evp_pkey_ctx_ptr kctx(EVP_PKEY_CTX_new_from_pkey(nullptr, params, nullptr));
    EVP_PKEY* key = nullptr;
    if (!kctx || EVP_PKEY_keygen_init(kctx.get()) != 1 || EVP_PKEY_keygen(kctx.get(), &key) != 1)
        throw std::runtime_error("DSA key generation failed");
    return evp_pkey_ptr(key);
}

// Keys reused by many tests: generated once per test executable (RSA generation is slow).
inline EVP_PKEY* shared_rsa2048()
{
    static const evp_pkey_ptr key = generate_rsa(2048);
    return key.get();
}
inline EVP_PKEY* shared_p256()
{
    static const evp_pkey_ptr key = generate_ec("P-256");
    return key.get();
}
inline EVP_PKEY* shared_p384()
{
    static const evp_pkey_ptr key = generate_ec("P-384");
    return key.get();
}

inline std::string bio_contents(BIO* bio)
{
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(len));
}

enum class pem_format { pkcs8, traditional };

// Private key PEM; encrypted with AES-256-CBC when passphrase is not empty.
inline std::string private_key_pem(EVP_PKEY* key, pem_format format, std::string_view passphrase = {})
{
    const bio_ptr bio(BIO_new(BIO_s_mem()));
    const EVP_CIPHER* cipher = passphrase.empty() ? nullptr : EVP_aes_256_cbc();
    auto* pass = reinterpret_cast<unsigned char*>(const_cast<char*>(passphrase.data()));
    const int pass_len = static_cast<int>(passphrase.size());
    const int rc = format == pem_format::pkcs8
                       ? PEM_write_bio_PrivateKey(bio.get(), key, cipher, pass, pass_len, nullptr, nullptr)
                       : PEM_write_bio_PrivateKey_traditional(bio.get(), key, cipher, pass, pass_len, nullptr, nullptr);
    if (rc != 1)
        throw std::runtime_error("PEM serialisation failed");
    return bio_contents(bio.get());
}

inline std::string public_key_pem(EVP_PKEY* key)
{
    const bio_ptr bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PUBKEY(bio.get(), key) != 1)
        throw std::runtime_error("PEM serialisation failed");
    return bio_contents(bio.get());
}

inline std::vector<std::uint8_t> bn_param(EVP_PKEY* key, const char* name)
{
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1)
        throw std::runtime_error(std::string("no key parameter ") + name);
    const bignum_ptr bn(raw);
    std::vector<std::uint8_t> out(static_cast<std::size_t>(BN_num_bytes(bn.get())));
    BN_bn2bin(bn.get(), out.data());
    return out;
}

// Uncompressed EC point 04||x||y.
inline std::vector<std::uint8_t> ec_public_point(EVP_PKEY* key)
{
    std::vector<std::uint8_t> point(1 + 2 * 66);
    std::size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point.data(), point.size(), &len) != 1)
        throw std::runtime_error("no EC public point");
    point.resize(len);
    return point;
}

inline std::string sha256(std::string_view data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    return std::string(reinterpret_cast<const char*>(digest), len);
}

// DER signature straight from OpenSSL (ECDSA: DER SEQUENCE{r,s}; RSA: PKCS#1 v1.5 bytes).
inline std::vector<std::uint8_t> openssl_sign(EVP_PKEY* key, const EVP_MD* md, std::string_view data)
{
    const evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
    std::size_t len = 0;
    const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, bytes, data.size()) != 1)
        throw std::runtime_error("signing failed");
    std::vector<std::uint8_t> sig(len);
    if (EVP_DigestSign(ctx.get(), sig.data(), &len, bytes, data.size()) != 1)
        throw std::runtime_error("signing failed");
    sig.resize(len);
    return sig;
}

// RFC 7518 verification written from the spec, independent of the code under test:
// RS256 = RSASSA-PKCS1-v1_5 with SHA-256; ES256/ES384 = ECDSA whose JWS signature is the
// big-endian r and s, each exactly half of the signature (32 or 48 bytes).
inline bool independent_verify(EVP_PKEY* key, std::string_view alg, std::string_view signing_input,
                               std::span<const std::uint8_t> signature)
{
    const EVP_MD* md = alg == "ES384" ? EVP_sha384() : EVP_sha256();
    std::vector<std::uint8_t> der(signature.begin(), signature.end());
    if (alg == "ES256" || alg == "ES384") {
        const std::size_t expected = alg == "ES256" ? 64 : 96;
        if (signature.size() != expected)
            return false;
        const std::size_t half = expected / 2;
        ECDSA_SIG* sig = ECDSA_SIG_new();
        BIGNUM* r = BN_bin2bn(signature.data(), static_cast<int>(half), nullptr);
        BIGNUM* s = BN_bin2bn(signature.data() + half, static_cast<int>(half), nullptr);
        ECDSA_SIG_set0(sig, r, s);
        unsigned char* out = nullptr;
        const int len = i2d_ECDSA_SIG(sig, &out);
        ECDSA_SIG_free(sig);
        if (len <= 0)
            return false;
        der.assign(out, out + len);
        OPENSSL_free(out);
    }
    const evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, key) != 1)
        throw std::runtime_error("verification init failed");
    if (alg == "RS256" && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1)
        throw std::runtime_error("setting RSA padding failed");
    const int rc = EVP_DigestVerify(ctx.get(), der.data(), der.size(),
                                    reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
    ERR_clear_error();
    return rc == 1;
}

}  // namespace lacme::test
