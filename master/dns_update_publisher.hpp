// SPDX-License-Identifier: GPL-3.0-or-later
// dns_record_publisher by RFC 2136 dynamic updates signed with TSIG, sent by the master itself
// (the client never holds the key) to dns-update-server over TCP on the loop. The zone is
// dns-zone, or else found by asking the server for SOA records walking up from the record's
// name (the first name with an SOA answer is the zone's apex). The key file is read for each
// change and its secret wiped once the response is checked.
#pragma once

#include "common/log.hpp"
#include "common/uv/timer.hpp"
#include "master/certificate_config.hpp"
#include "master/dns_record_publisher.hpp"
#include "master/dns_resolver.hpp"
#include "master/dns_tsig_key.hpp"
#include "master/dns_update.hpp"
#include "master/dns_update_client.hpp"

#include <uv.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace lacme::master {

class dns_update_publisher final : public dns_record_publisher {
public:
    dns_update_publisher(uv_loop_t* loop, dns_update_settings settings, std::string log_prefix, logger& log);
    void change(dns01_action action, const dns_record& record, done_fn done) override;

private:
    void look_up_zone(const std::string& name);
    void send(const std::string& zone);
    void on_response(const std::string& zone, std::optional<std::string> failure, std::vector<std::uint8_t> response);
    // A failure before anything reached the server: nothing changed.
    void fail_later(std::string failure);
    void finish(dns_change_outcome outcome);
    [[nodiscard]] std::string where(const std::string& zone) const;

    uv_loop_t* loop_;
    dns_update_settings settings_;
    std::string prefix_;
    logger& log_;
    std::map<std::string, std::string> zones_;  // record name -> zone, as found
    dns01_action action_ = dns01_action::publish;
    dns_record record_;
    std::optional<tsig_key> key_;
    std::optional<dns_update> update_;
    std::unique_ptr<dns_resolver> resolver_;  // SOA lookups at the server
    std::unique_ptr<dns_tcp_exchange> exchange_;
    dns_change_outcome pending_;
    uv::timer later_;
    done_fn done_;
};

}  // namespace lacme::master
