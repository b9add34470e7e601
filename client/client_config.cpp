// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/client_config.hpp"

#include "common/error.hpp"
#include "common/parse_number.hpp"
#include "common/text.hpp"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cerrno>

namespace lacme::client {
namespace {

// Perl's master sends strings; our own could send numbers or booleans. Accept both.
std::string value_text(const nlohmann::json& v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_number_integer())
        return std::to_string(v.get<long long>());
    if (v.is_boolean())
        return v.get<bool>() ? "Yes" : "No";
    if (v.is_null())
        return {};
    throw lacme::error("client configuration: unexpected value " + v.dump());
}

// As lacme 0.8's client: only "No" (any case) turns verification off; anything else verifies
// (our master warns about such values, naming their line).
bool verify_setting(const std::string& text)
{
    return ascii_lower(text) != "no";
}

}  // namespace

client_config parse_client_config(std::string_view json_text)
{
    const auto json = nlohmann::json::parse(json_text, nullptr, false);
    if (!json.is_object())
        throw lacme::error("client configuration is not a JSON object");
    client_config config;
    for (const auto& [key, raw] : json.items()) {
        const std::string v = value_text(raw);
        if (key == "server") {
            if (!v.empty())
                config.server = v;
        } else if (key == "timeout") {
            if (v.empty())
                continue;
            const auto seconds = parse_number<long long>(v, 0, 86400LL * 7);
            if (!seconds)
                throw lacme::error("client configuration: timeout must be a number of seconds");
            config.timeout = std::chrono::seconds(*seconds);
        } else if (key == "SSL_verify") {
            config.tls.verify = verify_setting(v);
        } else if (key == "SSL_version") {
            config.tls.version = v;
        } else if (key == "SSL_cipher_list") {
            config.tls.cipher_list = v;
        } else if (key == "SSL_CAfile" || key == "SSL_ca_file") {
            config.tls.ca_file = v;
        } else if (key == "preferred-chain") {
            config.preferred_chain = v;
        } else if (key == "challenge") {
            if (v != "http-01" && v != "dns-01")
                throw lacme::error("client configuration: challenge must be http-01 or dns-01");
            config.challenge = v;
        }
        // Everything else (user, group, command, socket...) is the master's business.
    }
    return config;
}

}  // namespace lacme::client
