// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/renewal_info.hpp"

#include "client/client_error.hpp"
#include "client/retry_policy.hpp"

#include "common/renewal_info.hpp"

namespace lacme::client {
nlohmann::json parse_renewal_info(std::string_view body)
{
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object())
        throw acme_error("renewalInfo: the CA's response is not a JSON object");
    try {
        suggested_window(json);
    } catch (const lacme::error& e) {
        throw acme_error(e.what());
    }
    return json;
}

nlohmann::json fetch_renewal_info(acme_session& session, std::string_view certificate_der)
{
    const acme_directory& dir = session.directory();
    std::string url = dir.require(dir.renewal_info, "renewalInfo");
    if (!url.ends_with("/"))
        url += '/';
    url += ari_certificate_id(certificate_der);
    const http_response r = session.get(url, "renewalInfo");
    if (!r.success())
        throw_failure(r, "renewalInfo");
    return parse_renewal_info(r.body);
}

}  // namespace lacme::client
