// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/jws_signature.hpp"

#include "common/error.hpp"
#include "common/openssl_error.hpp"
#include "common/openssl_ptr.hpp"

#include <openssl/ecdsa.h>
#include <openssl/err.h>

namespace lacme {

std::vector<std::uint8_t> ecdsa_der_to_raw(std::span<const std::uint8_t> der, std::size_t raw_size)
{
    const unsigned char* p = der.data();
    const ecdsa_sig_ptr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
    if (!sig || p != der.data() + der.size())
        throw_openssl("decoding ECDSA signature");
    const BIGNUM* r = ECDSA_SIG_get0_r(sig.get());
    const BIGNUM* s = ECDSA_SIG_get0_s(sig.get());
    const int half = static_cast<int>(raw_size / 2);
    std::vector<std::uint8_t> raw(raw_size);
    if (BN_bn2binpad(r, raw.data(), half) != half || BN_bn2binpad(s, raw.data() + half, half) != half)
        throw error("ECDSA signature does not fit the curve size");
    return raw;
}

std::vector<std::uint8_t> ecdsa_raw_to_der(std::span<const std::uint8_t> raw)
{
    const int half = static_cast<int>(raw.size() / 2);
    ecdsa_sig_ptr sig(ECDSA_SIG_new());
    bignum_ptr r(BN_bin2bn(raw.data(), half, nullptr));
    bignum_ptr s(BN_bin2bn(raw.data() + half, half, nullptr));
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
        throw_openssl("encoding ECDSA signature");
    (void)r.release();  // now owned by sig
    (void)s.release();
    unsigned char* der = nullptr;
    const int len = i2d_ECDSA_SIG(sig.get(), &der);
    const openssl_memory_ptr<unsigned char> owned(der);
    if (len <= 0)
        throw_openssl("encoding ECDSA signature");
    return {der, der + len};
}

std::vector<std::uint8_t> jws_digest_sign(EVP_MD_CTX* ctx, jws_algorithm alg, std::string_view signing_input)
{
    const auto* data = reinterpret_cast<const unsigned char*>(signing_input.data());
    std::size_t len = 0;
    if (EVP_DigestSign(ctx, nullptr, &len, data, signing_input.size()) != 1)
        throw_openssl("sizing signature");
    std::vector<std::uint8_t> signature(len);
    if (EVP_DigestSign(ctx, signature.data(), &len, data, signing_input.size()) != 1)
        throw_openssl("signing");
    signature.resize(len);
    if (const std::size_t raw = jws_ecdsa_signature_size(alg); raw != 0)
        return ecdsa_der_to_raw(signature, raw);
    return signature;
}

bool jws_verify(EVP_PKEY* key, jws_algorithm alg, std::string_view signing_input,
                std::span<const std::uint8_t> signature)
{
    std::vector<std::uint8_t> converted;
    if (const std::size_t size = jws_ecdsa_signature_size(alg); size != 0) {
        if (signature.size() != size)
            return false;
        converted = ecdsa_raw_to_der(signature);
        signature = converted;
    }
    const evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, jws_algorithm_digest(alg), nullptr, key) != 1)
        throw_openssl("initialising signature verification");
    const int rc = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                                    reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
    ERR_clear_error();
    return rc == 1;
}

}  // namespace lacme
