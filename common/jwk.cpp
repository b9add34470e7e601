// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/jwk.hpp"

#include "common/base64url.hpp"
#include "common/error.hpp"
#include "common/json_member.hpp"
#include "common/openssl_error.hpp"
#include "common/openssl_ptr.hpp"

#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/sha.h>

#include <vector>

namespace lacme {
namespace {

std::vector<std::uint8_t> bignum_bytes(EVP_PKEY* key, const char* param)
{
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, param, &raw) != 1)
        throw_openssl(std::string("reading key parameter ") + param);
    const bignum_ptr bn(raw);
    std::vector<std::uint8_t> out(static_cast<std::size_t>(BN_num_bytes(bn.get())));
    BN_bn2bin(bn.get(), out.data());
    return out;
}

account_public_key ec_account_key(EVP_PKEY* key)
{
    char group[64];
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr) != 1)
        throw_openssl("reading EC curve name");
    const std::string_view name(group);
    jws_algorithm alg;
    std::string_view curve;
    if (name == "prime256v1" || name == "P-256") {
        alg = jws_algorithm::es256;
        curve = "P-256";
    } else if (name == "secp384r1" || name == "P-384") {
        alg = jws_algorithm::es384;
        curve = "P-384";
    } else {
        throw error("unsupported EC curve " + std::string(name) + " (use P-256 or P-384)");
    }
    // Uncompressed point 04||x||y, each coordinate padded to the field size as JWK requires.
    std::uint8_t point[1 + 2 * 66];
    std::size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, sizeof point, &len) != 1)
        throw_openssl("reading EC public point");
    const std::size_t field = jws_ecdsa_signature_size(alg) / 2;
    if (len != 1 + 2 * field || point[0] != 0x04)
        throw error("EC public key is not an uncompressed point");
    const std::span<const std::uint8_t> xy(point + 1, 2 * field);
    return {alg, ec_jwk(curve, xy.first(field), xy.subspan(field))};
}

std::string jwk_member(const nlohmann::json& jwk, const char* name)
{
    const auto text = find_string_member(jwk, name);
    if (!text)
        throw error(std::string("JWK lacks member ") + name);
    auto decoded = base64url_decode(*text);
    if (!decoded)
        throw error(std::string("JWK member ") + name + " is not base64url");
    return *decoded;
}

// RFC 7518 §6.3.1: n and e in the fewest octets. A key has one JWK: a leading zero would give
// the same key another thumbprint.
std::string jwk_unsigned_integer(const nlohmann::json& jwk, const char* name)
{
    std::string bytes = jwk_member(jwk, name);
    if (bytes.empty() || bytes.front() == '\0')
        throw error(std::string("JWK member ") + name + " is not a minimal big-endian integer");
    return bytes;
}

// RFC 7518 §6.2.1.2/3: x and y in exactly the curve's field size. Only their concatenation goes
// to OpenSSL, so a byte moved from one to the other must not pass.
std::string jwk_coordinate(const nlohmann::json& jwk, const char* name, std::size_t field_size)
{
    std::string bytes = jwk_member(jwk, name);
    if (bytes.size() != field_size)
        throw error(std::string("JWK member ") + name + " is not " + std::to_string(field_size) + " bytes long");
    return bytes;
}

}  // namespace

std::string_view jws_algorithm_name(jws_algorithm alg) noexcept
{
    switch (alg) {
    case jws_algorithm::rs256: return "RS256";
    case jws_algorithm::es256: return "ES256";
    case jws_algorithm::es384: return "ES384";
    }
    return {};
}

const EVP_MD* jws_algorithm_digest(jws_algorithm alg) noexcept
{
    return alg == jws_algorithm::es384 ? EVP_sha384() : EVP_sha256();
}

std::size_t jws_ecdsa_signature_size(jws_algorithm alg) noexcept
{
    switch (alg) {
    case jws_algorithm::rs256: return 0;
    case jws_algorithm::es256: return 64;
    case jws_algorithm::es384: return 96;
    }
    return 0;
}

nlohmann::json rsa_jwk(std::span<const std::uint8_t> modulus, std::span<const std::uint8_t> exponent)
{
    // Leading zero octets are not part of the JWK encoding (RFC 7518 §6.3.1.1).
    while (!modulus.empty() && modulus.front() == 0)
        modulus = modulus.subspan(1);
    while (!exponent.empty() && exponent.front() == 0)
        exponent = exponent.subspan(1);
    return {{"kty", "RSA"}, {"n", base64url_encode(modulus)}, {"e", base64url_encode(exponent)}};
}

nlohmann::json ec_jwk(std::string_view curve, std::span<const std::uint8_t> x, std::span<const std::uint8_t> y)
{
    return {{"kty", "EC"}, {"crv", curve}, {"x", base64url_encode(x)}, {"y", base64url_encode(y)}};
}

account_public_key account_public_key_from(EVP_PKEY* key)
{
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: {
        const int bits = EVP_PKEY_get_bits(key);
        if (bits < 2048 || bits > 4096)
            throw error("RSA key of " + std::to_string(bits) + " bits (use 2048 to 4096)");
        const auto n = bignum_bytes(key, OSSL_PKEY_PARAM_RSA_N);
        const auto e = bignum_bytes(key, OSSL_PKEY_PARAM_RSA_E);
        return {jws_algorithm::rs256, rsa_jwk(n, e)};
    }
    case EVP_PKEY_EC: return ec_account_key(key);
    default: {
        const char* type = EVP_PKEY_get0_type_name(key);
        throw error(std::string("unsupported key type ") + (type ? type : "unknown") +
                    " (use RSA, EC P-256 or EC P-384)");
    }
    }
}

std::string canonical_json(const nlohmann::json& value)
{
    // nlohmann::json keeps object members in a std::map, so dump() is already key-sorted.
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

std::string jwk_thumbprint(const nlohmann::json& jwk)
{
    const std::string text = canonical_json(jwk);
    std::uint8_t digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), digest);
    return base64url_encode(std::span<const std::uint8_t>(digest));
}

evp_pkey_ptr public_key_from_jwk(const nlohmann::json& jwk)
{
    const std::string kty = string_member(jwk, "kty");
    const std::unique_ptr<OSSL_PARAM_BLD, openssl_deleter<OSSL_PARAM_BLD_free>> bld(OSSL_PARAM_BLD_new());
    if (!bld)
        throw_openssl("OSSL_PARAM_BLD_new");
    bignum_ptr n, e;
    std::string point;
    const char* type = nullptr;
    if (kty == "RSA") {
        type = "RSA";
        const std::string nb = jwk_unsigned_integer(jwk, "n"), eb = jwk_unsigned_integer(jwk, "e");
        n.reset(BN_bin2bn(reinterpret_cast<const unsigned char*>(nb.data()), static_cast<int>(nb.size()), nullptr));
        e.reset(BN_bin2bn(reinterpret_cast<const unsigned char*>(eb.data()), static_cast<int>(eb.size()), nullptr));
        if (!n || !e || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
            OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
            throw_openssl("building RSA key parameters");
    } else if (kty == "EC") {
        type = "EC";
        const std::string crv = string_member(jwk, "crv");
        const char* group = crv == "P-256" ? "prime256v1" : crv == "P-384" ? "secp384r1" : nullptr;
        if (group == nullptr)
            throw error("unsupported JWK curve " + crv);
        const std::size_t field_size =
            jws_ecdsa_signature_size(crv == "P-256" ? jws_algorithm::es256 : jws_algorithm::es384) / 2;
        point.assign(1, '\x04');  // uncompressed point: 04 || x || y
        point += jwk_coordinate(jwk, "x", field_size);
        point += jwk_coordinate(jwk, "y", field_size);
        if (OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
            OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1)
            throw_openssl("building EC key parameters");
    } else {
        throw error("unsupported JWK key type " + kty);
    }
    const std::unique_ptr<OSSL_PARAM, openssl_deleter<OSSL_PARAM_free>> params(OSSL_PARAM_BLD_to_param(bld.get()));
    const evp_pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* key = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        throw_openssl("importing the JWK public key");
    return evp_pkey_ptr(key);
}

}  // namespace lacme
