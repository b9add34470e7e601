// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/keys/provider_store_listing.hpp"

#include "accountd/keys/provider_store_reader.hpp"
#include "common/error.hpp"
#include "common/jwk.hpp"

namespace lacme::accountd {
namespace {

std::string describe_key(EVP_PKEY* key)
{
    const OSSL_PROVIDER* provider = EVP_PKEY_get0_provider(key);
    const std::string where = provider ? std::string(" (provider ") + OSSL_PROVIDER_get0_name(provider) + ")" : "";
    try {
        return std::string(jws_algorithm_name(account_public_key_from(public_half(key).get()).alg)) + where;
    } catch (const lacme::error& e) {
        return std::string("not usable: ") + e.what() + where;
    }
}

std::string describe(const OSSL_STORE_INFO* info)
{
    switch (OSSL_STORE_INFO_get_type(info)) {
    case OSSL_STORE_INFO_PKEY: {
        const evp_pkey_ptr key(OSSL_STORE_INFO_get1_PKEY(info));
        return "private key " + (key ? describe_key(key.get()) : std::string("(unreadable)"));
    }
    case OSSL_STORE_INFO_PUBKEY: return "public key";
    case OSSL_STORE_INFO_CERT: return "certificate";
    case OSSL_STORE_INFO_CRL: return "CRL";
    case OSSL_STORE_INFO_PARAMS: return "key parameters";
    default: return "unknown object";
    }
}

}  // namespace

void list_store_objects(const provider_context& providers, const std::string& uri, passphrase_source passphrase,
                        std::ostream& out)
{
    provider_store_reader reader(providers, uri, std::move(passphrase));
    std::size_t count = 0;
    while (const auto info = reader.next()) {
        ++count;
        if (OSSL_STORE_INFO_get_type(info.get()) == OSSL_STORE_INFO_NAME) {
            // An entry of a directory-like store: its own URI, usable as store:URI.
            const char* name = OSSL_STORE_INFO_get0_NAME(info.get());
            const char* about = OSSL_STORE_INFO_get0_NAME_description(info.get());
            out << "store:" << (name ? name : "") << (about ? std::string("  ") + about : "") << "\n";
        } else {
            out << reader.name() << "  " << describe(info.get()) << "\n";
        }
    }
    if (count == 0)
        out << reader.name() << ": nothing there\n";
}

}  // namespace lacme::accountd
