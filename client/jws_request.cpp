// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/jws_request.hpp"

#include "common/base64url.hpp"
#include "common/error.hpp"
#include "common/openssl_error.hpp"
#include "common/jwk.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace lacme::client {

std::string encode_payload(const std::optional<nlohmann::json>& payload)
{
    return payload ? base64url_encode(canonical_json(*payload)) : std::string();
}

std::string protected_header(const jws_key& key, std::string_view nonce, std::string_view url)
{
    nlohmann::json header = {{"alg", key.alg}, {"url", url}};
    if (!nonce.empty())
        header["nonce"] = nonce;
    if (key.kid)
        header["kid"] = *key.kid;
    else
        header["jwk"] = key.jwk;
    return canonical_json(header);
}

nlohmann::json sign_jws(accountd_connection& accountd, const jws_key& key, std::string_view nonce, std::string_view url,
                        const std::string& encoded_payload)
{
    const std::string header = base64url_encode(protected_header(key, nonce, url));
    const std::string signature = accountd.sign(header + "." + encoded_payload);
    return {{"protected", header}, {"payload", encoded_payload}, {"signature", signature}};
}

nlohmann::json external_account_binding(std::string_view eab_kid, std::string_view hmac_key_b64url,
                                        std::string_view url, const nlohmann::json& account_jwk)
{
    // CAs hand the key out base64url-encoded; tolerate padding and surrounding blanks from a file.
    std::string_view text = hmac_key_b64url;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '='))
        text.remove_suffix(1);
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    const auto key = base64url_decode(text);
    if (!key || key->empty())
        throw lacme::error("EAB HMAC key is not base64url");
    const std::string header = base64url_encode(canonical_json({{"alg", "HS256"}, {"kid", eab_kid}, {"url", url}}));
    const std::string payload = base64url_encode(canonical_json(account_jwk));
    const std::string input = header + "." + payload;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    if (!HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()),
              reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_len))
        throw_openssl("HMAC-SHA256");
    return {{"protected", header},
            {"payload", payload},
            {"signature", base64url_encode(std::string_view(reinterpret_cast<const char*>(mac), mac_len))}};
}

}  // namespace lacme::client
