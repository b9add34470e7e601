// SPDX-License-Identifier: GPL-3.0-or-later
// What the CA checks when a challenge is answered, for the one challenge type of an order:
// http-01 files the webserver serves (challenge_files) or dns-01 TXT records the master
// publishes (dns_records). Both stage each pending authorization's key authorization, make them
// all visible at once, and take them away when the order is over, whatever its outcome.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace lacme::client {

class challenge_responses {
public:
    challenge_responses() = default;
    challenge_responses(const challenge_responses&) = delete;
    challenge_responses& operator=(const challenge_responses&) = delete;
    virtual ~challenge_responses() = default;

    // "http-01" or "dns-01": the challenge of each authorization to answer.
    [[nodiscard]] virtual std::string_view type() const noexcept = 0;
    // identifier: the authorization's (without "*." for a wildcard); token: checked base64url.
    virtual void stage(std::string_view identifier, const std::string& token, std::string_view key_authorization) = 0;
    // Every staged response visible to the CA: called before the challenges are answered.
    virtual void publish() = 0;
    // After the challenges are answered: a guess of when validation is over, at most `longest`.
    virtual void wait_for_validation(std::chrono::milliseconds longest) = 0;
};

}  // namespace lacme::client
