// SPDX-License-Identifier: GPL-3.0-or-later
#include "pkcs11/public_key.hpp"

#include "common/openssl_ptr.hpp"
#include "pkcs11/error.hpp"

#include <openssl/x509.h>

namespace lacme::pkcs11 {
namespace {

using bytes = std::vector<std::uint8_t>;

token_public_key from_rsa(std::span<const std::uint8_t> modulus, std::span<const std::uint8_t> exponent)
{
    while (!modulus.empty() && modulus.front() == 0)
        modulus = modulus.subspan(1);
    const std::size_t bits = modulus.size() * 8;
    if (bits < 2048 || bits > 4096)
        throw error("RSA key of " + std::to_string(bits) + " bits on the token (use 2048 to 4096)");
    return {jws_algorithm::rs256, rsa_jwk(modulus, exponent), modulus.size()};
}

// CKA_EC_POINT is a DER OCTET STRING around 04||x||y; some tokens give the bare point.
std::span<const std::uint8_t> unwrap_point(std::span<const std::uint8_t> point, std::size_t field)
{
    const std::size_t bare = 1 + 2 * field;
    if (point.size() == bare && point[0] == 0x04)
        return point;
    if (point.size() >= 2 && point[0] == 0x04) {
        std::size_t len = point[1], header = 2;
        if (len == 0x81 && point.size() >= 3) {
            len = point[2];
            header = 3;
        }
        if (len == bare && point.size() == header + bare && point[header] == 0x04)
            return point.subspan(header);
    }
    throw error("EC public point on the token is not an uncompressed point of the key's curve");
}

token_public_key from_ec(std::span<const std::uint8_t> params, std::span<const std::uint8_t> point)
{
    static constexpr std::uint8_t p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    static constexpr std::uint8_t p384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
    jws_algorithm alg;
    std::string_view curve;
    if (std::equal(params.begin(), params.end(), std::begin(p256), std::end(p256))) {
        alg = jws_algorithm::es256;
        curve = "P-256";
    } else if (std::equal(params.begin(), params.end(), std::begin(p384), std::end(p384))) {
        alg = jws_algorithm::es384;
        curve = "P-384";
    } else {
        throw error("EC key on the token is not on P-256 or P-384");
    }
    const std::size_t field = jws_ecdsa_signature_size(alg) / 2;
    const auto xy = unwrap_point(point, field);
    return {alg, ec_jwk(curve, xy.subspan(1, field), xy.subspan(1 + field, field)), 2 * field};
}

token_public_key from_evp(EVP_PKEY* key)
{
    auto pub = account_public_key_from(key);
    const std::size_t size = pub.alg == jws_algorithm::rs256 ? static_cast<std::size_t>(EVP_PKEY_get_size(key))
                                                             : jws_ecdsa_signature_size(pub.alg);
    return {pub.alg, std::move(pub.jwk), size};
}

std::optional<token_public_key> from_public_object(const session& s, CK_OBJECT_HANDLE object, CK_ULONG type)
{
    if (type == CKK_RSA) {
        auto n = s.attribute(object, CKA_MODULUS);
        auto e = s.attribute(object, CKA_PUBLIC_EXPONENT);
        if (n && e)
            return from_rsa(*n, *e);
    } else if (type == CKK_EC) {
        auto params = s.attribute(object, CKA_EC_PARAMS);
        auto point = s.attribute(object, CKA_EC_POINT);
        if (params && point)
            return from_ec(*params, *point);
    }
    return std::nullopt;
}

std::optional<token_public_key> from_spki(std::span<const std::uint8_t> der)
{
    const unsigned char* p = der.data();
    const evp_pkey_ptr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
    if (!key)
        return std::nullopt;
    return from_evp(key.get());
}

// Objects of class cls sharing the private key's CKA_ID (or, without an ID, its label).
std::vector<CK_OBJECT_HANDLE> companions(const session& s, CK_OBJECT_HANDLE private_key, CK_OBJECT_CLASS cls)
{
    CK_OBJECT_CLASS c = cls;
    auto id = s.attribute(private_key, CKA_ID);
    auto label = s.attribute(private_key, CKA_LABEL);
    std::vector<CK_ATTRIBUTE> tmpl{{CKA_CLASS, &c, sizeof c}};
    if (id && !id->empty())
        tmpl.push_back({CKA_ID, id->data(), static_cast<CK_ULONG>(id->size())});
    else if (label && !label->empty())
        tmpl.push_back({CKA_LABEL, label->data(), static_cast<CK_ULONG>(label->size())});
    else
        return {};
    return s.find(tmpl, 4);
}

}  // namespace

token_public_key read_public_key(const session& s, CK_OBJECT_HANDLE private_key)
{
    const auto type = s.attribute_ulong(private_key, CKA_KEY_TYPE);
    if (type != CKK_RSA && type != CKK_EC)
        throw error("the key on the token is neither RSA nor EC");

    // The public key object is the usual source; with several (odd) take none of them.
    if (const auto pubs = companions(s, private_key, CKO_PUBLIC_KEY); pubs.size() == 1)
        if (auto key = from_public_object(s, pubs.front(), *type))
            return *key;
    if (auto spki = s.attribute(private_key, CKA_PUBLIC_KEY_INFO); spki && !spki->empty())
        if (auto key = from_spki(*spki))
            return *key;
    if (*type == CKK_RSA) {
        auto n = s.attribute(private_key, CKA_MODULUS);
        auto e = s.attribute(private_key, CKA_PUBLIC_EXPONENT);
        if (n && e)
            return from_rsa(*n, *e);
    }
    if (const auto certs = companions(s, private_key, CKO_CERTIFICATE); certs.size() == 1) {
        if (auto der = s.attribute(certs.front(), CKA_VALUE)) {
            const unsigned char* p = der->data();
            const x509_ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der->size())));
            if (cert)
                if (EVP_PKEY* key = X509_get0_pubkey(cert.get()))
                    return from_evp(key);
        }
    }
    throw error("no public key found on the token for this private key (store the public key or a certificate "
                "with the same id)");
}

}  // namespace lacme::pkcs11
