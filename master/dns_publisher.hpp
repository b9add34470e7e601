// SPDX-License-Identifier: GPL-3.0-or-later
// The dns-01 records of one section, published and removed for its client (the lines of
// common/dns01_protocol.hpp that the relay hands over) through the section's dns-hook or by
// RFC 2136 updates (dns_record_publisher), one request at a time: a publish is answered once
// every record is added and the servers serve the values (dns_propagation), a remove once they
// are removed. Only the names of the
// section's identifiers are accepted, at most one record per identifier at a time.
//
// Every record added is removed: the journal (dns_journal) lists it, with the way it is added,
// before it is added; when the client's connection ends, what is in flight stops (a running
// change is let finish) and
// remove_all() removes the rest; a run killed before that leaves the journal to the next run,
// whose remove_all() of the section's stale records comes first.
#pragma once

#include "common/dns01_protocol.hpp"
#include "common/log.hpp"
#include "common/uv/timer.hpp"
#include "master/accountd_relay.hpp"
#include "master/certificate_config.hpp"
#include "master/dns_journal.hpp"
#include "master/dns_propagation.hpp"
#include "master/dns_record_publisher.hpp"

#include <uv.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lacme::master {

class dns_publisher {
public:
    // Reads the section's journal: records left by an earlier run are published ones. Throws
    // lacme::error (a bad journal).
    dns_publisher(uv_loop_t* loop, const certificate_section& section, logger& log);
    dns_publisher(const dns_publisher&) = delete;
    dns_publisher& operator=(const dns_publisher&) = delete;
    ~dns_publisher() = default;

    // For the client's relay connection.
    [[nodiscard]] accountd_relay::master_requests requests();
    // Queues the removal of every record published; the caller runs the loop until idle().
    void remove_all();
    [[nodiscard]] bool idle() const noexcept { return !current_ && queue_.empty(); }
    [[nodiscard]] bool anything_published() const noexcept { return !published_.empty(); }

private:
    using reply_fn = std::function<void(std::string)>;
    struct operation {
        dns01_action action;
        std::vector<dns_journal_entry> records;
        reply_fn reply;
        std::size_t next_change = 0;
        std::optional<std::string> failure;
        bool journal_stale = false;  // records taken out since it was written
    };

    void on_request(std::string_view line, reply_fn reply);
    void on_client_end();
    void start_next();
    void run_next_change();
    void changes_done();
    // Whoever adds and removes the record the way the entry says; nullptr when the section has
    // no dns-hook any more for a record its hook added.
    [[nodiscard]] dns_record_publisher* publisher_for(const dns_journal_entry& entry);
    [[nodiscard]] std::vector<dns_journal_entry> entries_of(const dns01_request& request) const;
    void complete(std::optional<std::string> failure);
    void save_journal();
    [[nodiscard]] std::optional<std::string> refusal(const dns01_request& request) const;

    uv_loop_t* loop_;
    const certificate_section& section_;
    logger& log_;
    std::string prefix_;  // "[SECTION] "
    std::string journal_;
    std::vector<dns_journal_entry> published_;
    std::deque<operation> queue_;
    std::optional<operation> current_;
    std::unique_ptr<dns_record_publisher> hook_publisher_;
    std::map<std::string, std::unique_ptr<dns_record_publisher>> update_publishers_;  // per route
    std::unique_ptr<dns_propagation> propagation_;
    std::unique_ptr<dns_propagation> finished_;
    uv::timer discard_;  // destroys a finished propagation check outside of its own callbacks
    bool client_ended_ = false;
};

}  // namespace lacme::master
