// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/acme_directory.hpp"

#include "client/client_error.hpp"
#include "common/json_member.hpp"

namespace lacme::client {
namespace {

std::string url_member(const nlohmann::json& json, const char* key)
{
    std::string url = string_member(json, key);
    // Only absolute http(s) URLs: anything else would be a CA bug or an attempt to reach files.
    if (!url.starts_with("https://") && !url.starts_with("http://"))
        return {};
    return url;
}

}  // namespace

acme_directory acme_directory::parse(const nlohmann::json& json)
{
    if (!json.is_object())
        throw acme_error("the ACME directory is not a JSON object");
    acme_directory dir;
    dir.new_nonce = url_member(json, "newNonce");
    dir.new_account = url_member(json, "newAccount");
    dir.new_order = url_member(json, "newOrder");
    dir.revoke_cert = url_member(json, "revokeCert");
    dir.key_change = url_member(json, "keyChange");
    dir.renewal_info = url_member(json, "renewalInfo");
    for (const auto& [name, url] : {std::pair{"newNonce", &dir.new_nonce}, std::pair{"newAccount", &dir.new_account},
                                    std::pair{"newOrder", &dir.new_order}})
        if (url->empty())
            throw acme_error(std::string("the ACME directory has no '") + name + "' resource");
    if (const auto meta = json.find("meta"); meta != json.end() && meta->is_object()) {
        dir.terms_of_service = find_string_member(*meta, "termsOfService");
        if (const auto ear = meta->find("externalAccountRequired"); ear != meta->end() && ear->is_boolean())
            dir.external_account_required = ear->get<bool>();
    }
    return dir;
}

const std::string& acme_directory::require(const std::string& url, std::string_view resource) const
{
    if (url.empty())
        throw acme_error("the CA's directory has no '" + std::string(resource) + "' resource");
    return url;
}

}  // namespace lacme::client
