// SPDX-License-Identifier: GPL-3.0-or-later
// Waits until every server that answers for the records' names serves each TXT value: the
// section's dns-propagation-servers, or else the authoritative servers of each name's zone (the
// first NS records found walking up from the record's name, through the system's resolver, and
// their addresses). Asked in rounds, with backoff between them; bounded as a whole by the
// section's dns-propagation-timeout.
#pragma once

#include "common/dns01_protocol.hpp"
#include "common/log.hpp"
#include "common/uv/timer.hpp"
#include "master/certificate_config.hpp"
#include "master/dns_resolver.hpp"

#include <uv.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lacme::master {

class dns_propagation {
public:
    using done_fn = std::function<void(std::optional<std::string> failure)>;

    // done is called from the loop, once; the object may be destroyed by it, or before it (no call then).
    dns_propagation(uv_loop_t* loop, const certificate_section& section, std::vector<dns_record> records,
                    std::string log_prefix, logger& log, done_fn done);
    dns_propagation(const dns_propagation&) = delete;
    dns_propagation& operator=(const dns_propagation&) = delete;
    ~dns_propagation() = default;

private:
    struct check {
        dns_record record;
        dns_server server;
        bool seen = false;
    };
    void discover(const std::string& record_name, const std::string& zone);
    void add_servers(const std::string& record_name, const std::vector<std::string>& hosts);
    void start_round();
    void on_answer(std::size_t index, const dns_resolver::txt_answer& answer);
    void finish(std::optional<std::string> failure);
    dns_resolver& resolver_for(const dns_server& server);

    uv_loop_t* loop_;
    std::vector<dns_record> records_;
    std::string prefix_;
    logger& log_;
    done_fn done_;
    std::chrono::seconds timeout_;
    std::unique_ptr<dns_resolver> system_resolver_;  // finds the zones' servers
    std::map<std::string, std::unique_ptr<dns_resolver>> resolvers_;  // per server
    std::vector<check> checks_;
    std::size_t names_to_discover_ = 0;
    std::size_t answers_due_ = 0;
    std::chrono::milliseconds backoff_{250};
    std::string last_miss_;  // why the last round was not enough
    uv::timer round_timer_;
    uv::timer deadline_;
};

}  // namespace lacme::master
