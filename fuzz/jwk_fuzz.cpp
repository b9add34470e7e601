// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes JWK import and export both ways. Input: first byte 'J' or '{': a JWK (JSON), imported
// with public_key_from_jwk; an accepted key that is a valid account key must export to exactly
// the JWK's key members (one key, one JWK: no other spelling of x, y, n or e is accepted, so the
// thumbprint of what a signer announces is the thumbprint of its key). Anything else: a DER
// SubjectPublicKeyInfo; an accepted account key's JWK must import back to the same key.
// Failures are lacme::error, nothing else.
#include "common/error.hpp"
#include "common/jwk.hpp"

#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

std::optional<lacme::account_public_key> account_key(EVP_PKEY* key)
{
    try {
        return lacme::account_public_key_from(key);
    } catch (const lacme::error&) {
        return std::nullopt;
    }
}

void from_jwk(std::string_view text)
{
    const auto jwk = nlohmann::json::parse(text, nullptr, false);
    if (jwk.is_discarded())
        return;
    lacme::evp_pkey_ptr key;
    try {
        key = lacme::public_key_from_jwk(jwk);
    } catch (const lacme::error&) {
        return;
    }
    require(key != nullptr);
    const auto exported = account_key(key.get());
    if (!exported)
        return;  // a key the importer takes but accounts may not use (an RSA key of 1024 bits, say)
    for (const auto& [name, value] : exported->jwk.items())
        require(jwk.contains(name) && jwk[name] == value);
    require(lacme::jwk_thumbprint(exported->jwk).size() == 43);
}

void from_der(std::string_view der)
{
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    const lacme::evp_pkey_ptr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
    if (!key)
        return;
    const auto exported = account_key(key.get());
    if (!exported)
        return;
    const auto imported = lacme::public_key_from_jwk(exported->jwk);  // must not throw
    require(EVP_PKEY_eq(key.get(), imported.get()) == 1);
    const auto again = account_key(imported.get());
    require(again && again->jwk == exported->jwk && again->alg == exported->alg);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (input.front() == 'J')
        from_jwk(input.substr(1));
    else if (input.front() == '{')
        from_jwk(input);
    else
        from_der(input);
    return 0;
}
