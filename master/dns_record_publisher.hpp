// SPDX-License-Identifier: GPL-3.0-or-later
// How the master adds and removes one dns-01 TXT value: through the section's dns-hook
// (dns_hook_publisher) or by RFC 2136 updates (dns_update_publisher). dns_publisher decides
// what to change and when; these only change it.
#pragma once

#include "common/dns01_protocol.hpp"

#include <functional>
#include <optional>
#include <string>

namespace lacme::master {

struct dns_change_outcome {
    // One line naming the way and the record ("dns-hook add NAME exited with value 1",
    // "RFC 2136 update (add NAME) at SERVER, zone Z: rcode REFUSED"); nullopt when done.
    std::optional<std::string> failure;
    // A failure that certainly changed nothing (refused before anything was sent, or by the DNS
    // server, whose updates are all-or-nothing): a failed add need not be removed.
    bool unchanged = false;
};

class dns_record_publisher {
public:
    using done_fn = std::function<void(dns_change_outcome)>;

    dns_record_publisher() = default;
    dns_record_publisher(const dns_record_publisher&) = delete;
    dns_record_publisher& operator=(const dns_record_publisher&) = delete;
    virtual ~dns_record_publisher() = default;  // what is in flight stops, done is not called

    // Adds (publish) or removes one value, one change at a time. done is called from the loop,
    // once, never from within change(); the publisher may be destroyed by it.
    virtual void change(dns01_action action, const dns_record& record, done_fn done) = 0;
};

}  // namespace lacme::master
