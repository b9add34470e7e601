// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/dns_records.hpp"

#include "common/base64url.hpp"
#include "common/error.hpp"

#include <openssl/evp.h>

namespace lacme::client {

std::string dns01_txt_value(std::string_view key_authorization)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(key_authorization.data(), key_authorization.size(), digest, &size, EVP_sha256(), nullptr) != 1)
        throw error("SHA-256 of the key authorization failed");
    return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), size));
}

void dns_records::stage(std::string_view identifier, const std::string&, std::string_view key_authorization)
{
    staged_.push_back({dns01_record_name(identifier), dns01_txt_value(key_authorization)});
}

void dns_records::publish()
{
    if (staged_.empty())
        return;
    log_.debug("asking the master to publish " + std::to_string(staged_.size()) + " dns-01 record(s)");
    // Counted as published before the answer: a failure may come after some were added.
    published_.insert(published_.end(), staged_.begin(), staged_.end());
    const auto records = std::move(staged_);
    staged_.clear();
    check_dns01_answer(dns01_action::publish,
                       master_.ask_master(format_dns01_request({dns01_action::publish, records})));
    log_.debug("the master published the dns-01 records");
}

dns_records::~dns_records()
{
    if (published_.empty())
        return;
    try {
        check_dns01_answer(dns01_action::remove,
                           master_.ask_master(format_dns01_request({dns01_action::remove, published_})));
    } catch (const std::exception& e) {
        // The master removes them when this client ends anyway.
        log_.warning(e.what());
    }
}

}  // namespace lacme::client
