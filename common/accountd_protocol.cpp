// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/accountd_protocol.hpp"

#include "common/base64url.hpp"
#include "common/error.hpp"
#include "common/json_member.hpp"
#include "common/text.hpp"

namespace lacme {
namespace {

bool has_non_null(const nlohmann::json& object, const char* key)
{
    const auto it = object.find(key);
    return it != object.end() && !it->is_null();
}

signing_input_verdict check_names_key(const nlohmann::json& header, const signing_key_identity& key)
{
    if (header.at("alg") != key.alg)
        return signing_input_verdict::wrong_algorithm;
    if (has_non_null(header, "jwk") && header.at("jwk") != key.jwk)
        return signing_input_verdict::foreign_jwk;
    if (has_non_null(header, "kid") && !header.at("kid").is_string())
        return signing_input_verdict::kid_not_string;
    return signing_input_verdict::ok;
}

}  // namespace

std::string format_accountd_greeting(const accountd_greeting& greeting)
{
    nlohmann::json extra = {{"alg", greeting.alg}, {"jwk-thumbprint", greeting.jwk_thumbprint}};
    if (greeting.kid)
        extra["kid"] = *greeting.kid;
    return std::to_string(accountd_protocol_version) + " OK " + extra.dump() + "\r\n" +
           (greeting.kid ? std::string("{}") : greeting.jwk.dump()) + "\r\n";
}

accountd_greeting parse_accountd_greeting(std::string_view first_line, std::string_view jwk_line)
{
    const std::string expected = std::to_string(accountd_protocol_version) + " OK";
    if (first_line.substr(0, expected.size()) != expected ||
        (first_line.size() > expected.size() && first_line[expected.size()] != ' '))
        throw error("invalid greeting from lacme-accountd (unsupported protocol version?)");
    accountd_greeting greeting;
    greeting.alg = "RS256";
    if (first_line.size() > expected.size() + 1) {
        const auto extra = nlohmann::json::parse(first_line.substr(expected.size() + 1), nullptr, false);
        if (!extra.is_object())
            throw error("invalid greeting data from lacme-accountd");
        if (auto alg = find_string_member(extra, "alg"))
            greeting.alg = std::move(*alg);
        greeting.jwk_thumbprint = string_member(extra, "jwk-thumbprint");
        if (auto kid = string_member(extra, "kid"); !kid.empty())
            greeting.kid = std::move(kid);
    }
    greeting.jwk = nlohmann::json::parse(jwk_line, nullptr, false);
    if (!greeting.jwk.is_object())
        throw error("invalid JWK from lacme-accountd");
    return greeting;
}

std::optional<std::string> accountd_refusal_error(std::string_view answer)
{
    if (!answer.starts_with(accountd_refusal_prefix))
        return std::nullopt;
    return "lacme-accountd refused to sign: " + printable_for_log(answer.substr(accountd_refusal_prefix.size()));
}

signing_input_check check_signing_input(std::string_view line, const signing_key_identity& key)
{
    signing_input_check result{signing_input_verdict::ok, {}, {}};
    const std::size_t dot = line.find('.');
    const std::string_view header_b64 = line.substr(0, dot);
    std::optional<std::string> header;
    if (dot == std::string_view::npos || header_b64.empty() || !(header = base64url_decode(header_b64))) {
        result.verdict = signing_input_verdict::malformed_header;
        return result;
    }
    result.header = std::move(*header);
    auto payload = base64url_decode(line.substr(dot + 1));
    if (!payload) {
        result.verdict = signing_input_verdict::malformed_payload;
        return result;
    }
    result.payload = std::move(*payload);
    const auto json = nlohmann::json::parse(result.header, nullptr, false);
    if (!json.is_object() || !has_non_null(json, "alg") || !has_non_null(json, "nonce") || !has_non_null(json, "url") ||
        !(has_non_null(json, "jwk") || has_non_null(json, "kid")))
        result.verdict = signing_input_verdict::invalid_header;
    else
        result.verdict = check_names_key(json, key);
    return result;
}

std::string_view describe(signing_input_verdict verdict) noexcept
{
    switch (verdict) {
    case signing_input_verdict::ok: return "valid";
    case signing_input_verdict::malformed_header: return "malformed JWS Protected Header";
    case signing_input_verdict::malformed_payload: return "malformed JWS Payload";
    case signing_input_verdict::invalid_header: return "invalid JWS Protected Header";
    case signing_input_verdict::wrong_algorithm: return "JWS alg is not the account key's";
    case signing_input_verdict::foreign_jwk: return "JWS jwk is not the account key";
    case signing_input_verdict::kid_not_string: return "JWS kid is not a string";
    }
    return {};
}

}  // namespace lacme
