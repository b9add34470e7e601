// SPDX-License-Identifier: GPL-3.0-or-later
// The ACME directory object (RFC 8555 §7.1.1): resource URLs and meta fields.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace lacme::client {

struct acme_directory {
    std::string new_nonce;
    std::string new_account;
    std::string new_order;
    std::string revoke_cert;
    std::string key_change;
    std::string renewal_info;  // RFC 9773 (ARI); empty when the CA has none
    std::optional<std::string> terms_of_service;
    bool external_account_required = false;

    // Throws acme_error naming what is missing. newNonce, newAccount, newOrder are required.
    static acme_directory parse(const nlohmann::json& json);

    // The URL for a resource or an acme_error "the CA has no RESOURCE" when empty.
    [[nodiscard]] const std::string& require(const std::string& url, std::string_view resource) const;
};

}  // namespace lacme::client
