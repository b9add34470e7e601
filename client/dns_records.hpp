// SPDX-License-Identifier: GPL-3.0-or-later
// dns-01 TXT records of one order, published and removed by this project's master, asked over
// the accountd socket (common/dns01_protocol.hpp): all at once before the challenges are
// answered, removed when the order is over (the master also removes what a dead client left).
#pragma once

#include "client/accountd_connection.hpp"
#include "client/challenge_responses.hpp"
#include "client/run_log.hpp"

#include "common/dns01_protocol.hpp"

#include <vector>

namespace lacme::client {

class dns_records final : public challenge_responses {
public:
    dns_records(accountd_connection& master, run_log& log) : master_(master), log_(log) {}
    ~dns_records() override;

    [[nodiscard]] std::string_view type() const noexcept override { return "dns-01"; }
    void stage(std::string_view identifier, const std::string& token, std::string_view key_authorization) override;
    // Returns once the master has answered "published": the records are on every server it checks.
    void publish() override;
    // The CA queries DNS, which leaves no trace here: the first finalize finds out.
    void wait_for_validation(std::chrono::milliseconds) override {}

private:
    accountd_connection& master_;
    run_log& log_;
    std::vector<dns_record> staged_;
    std::vector<dns_record> published_;
};

// base64url(SHA-256(key authorization)), the TXT value of RFC 8555 §8.4.
[[nodiscard]] std::string dns01_txt_value(std::string_view key_authorization);

}  // namespace lacme::client
