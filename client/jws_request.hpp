// SPDX-License-Identifier: GPL-3.0-or-later
// Flattened JWS (RFC 7515 §7.2.2) request bodies for ACME (RFC 8555 §6.2): the protected header
// carries alg, nonce, url and either jwk (newAccount, revocation by certificate key) or kid;
// accountd signs. Also the HS256 external account binding (§7.3.4), which the client MACs itself.
#pragma once

#include "client/accountd_connection.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace lacme::client {

// How the request names its key: by account URL, or by the JWK itself.
struct jws_key {
    std::optional<std::string> kid;  // when empty, jwk is used
    nlohmann::json jwk;
    std::string alg;
};

// base64url(canonical JSON) of the payload, or "" for POST-as-GET.
std::string encode_payload(const std::optional<nlohmann::json>& payload);

// Protected header JSON text (canonical); nonce is omitted when empty (keyChange's inner JWS).
std::string protected_header(const jws_key& key, std::string_view nonce, std::string_view url);

// {"protected":...,"payload":...,"signature":...} as a JSON object, signed by accountd.
nlohmann::json sign_jws(accountd_connection& accountd, const jws_key& key, std::string_view nonce, std::string_view url,
                        const std::string& encoded_payload);

// RFC 8555 §7.3.4: JWS over the account JWK, protected {alg: HS256, kid: eab_kid, url}, MACed
// with the CA-issued key (base64url-decoded). Throws lacme::error for a malformed key.
nlohmann::json external_account_binding(std::string_view eab_kid, std::string_view hmac_key_b64url,
                                        std::string_view url, const nlohmann::json& account_jwk);

}  // namespace lacme::client
