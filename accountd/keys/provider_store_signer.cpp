// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/keys/provider_store_signer.hpp"

#include "accountd/keys/provider_store_reader.hpp"
#include "common/error.hpp"
#include "common/jws_signature.hpp"
#include "common/openssl_error.hpp"

#include <string_view>

namespace lacme::accountd {
namespace {

evp_pkey_ptr load_private_key(provider_store_reader& reader)
{
    evp_pkey_ptr key;
    while (const auto info = reader.next()) {
        if (OSSL_STORE_INFO_get_type(info.get()) != OSSL_STORE_INFO_PKEY)
            continue;  // certificates, public keys, parameters, names beside the key
        if (key)
            throw error(reader.name() + " names more than one private key (make the URI select one)");
        key.reset(OSSL_STORE_INFO_get1_PKEY(info.get()));
        if (!key)
            throw_openssl("reading the key from " + reader.name());
    }
    if (!key)
        throw error(reader.name() + ": no private key there");
    return key;
}

std::string provider_name(EVP_PKEY* key)
{
    const OSSL_PROVIDER* provider = EVP_PKEY_get0_provider(key);
    const char* name = provider ? OSSL_PROVIDER_get0_name(provider) : nullptr;
    return name ? name : "unknown";
}

}  // namespace

provider_store_signer::provider_store_signer(const std::string& uri, const std::vector<std::string>& providers,
                                             passphrase_source passphrase)
    : providers_(providers)
{
    provider_store_reader reader(providers_, uri, std::move(passphrase));
    key_ = load_private_key(reader);
    try {
        auto pub = account_public_key_from(public_half(key_.get()).get());
        alg_ = pub.alg;
        jwk_ = std::move(pub.jwk);
    } catch (const lacme::error& e) {
        throw error(reader.name() + ": " + e.what());
    }
    digest_ = EVP_MD_get0_name(jws_algorithm_digest(alg_));
    const std::string provider = provider_name(key_.get());
    one_at_a_time_ = provider != "default";
    description_ = reader.name() + " (provider " + provider + ")";
}

std::vector<std::uint8_t> provider_store_signer::sign(std::string_view signing_input)
{
    std::unique_lock turn(device_, std::defer_lock);
    if (one_at_a_time_)
        turn.lock();
    // A fresh context per signature: a provider's signature context may not be copyable.
    const evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
    if (!ctx ||
        EVP_DigestSignInit_ex(ctx.get(), nullptr, digest_.c_str(), providers_.get(), nullptr, key_.get(), nullptr) != 1)
        throw_openssl("initialising signature with " + description_);
    return jws_digest_sign(ctx.get(), alg_, signing_input);
}

}  // namespace lacme::accountd
