// SPDX-License-Identifier: GPL-3.0-or-later
// Shares the run's link to lacme-accountd between concurrent clients. Each client gets its own
// socket (the SOCKET_FD of its command line) and sees a private accountd: the greeting replayed
// verbatim, then one answer per signing input. The master forwards whole lines only; accountd
// answers in order, so answers go back to the clients in the order their requests went out.
//
// One client's trouble with accountd stays that client's: when a link ends, a new one (a new
// connection, a new accountd process or SSH session) carries the other clients' requests, and
// it must greet with the same account key.
// - A refusal ("NOSIGN reason", after which accountd closes the link) goes to the client that
//   asked; the requests behind it go out again on a new link, one per refusal.
// - A link accountd closes while nothing waits (its idle timeout) is opened again by the next
//   request.
// - A dead link, one that does not answer within the timeout (the greeting or a signature) or
//   ends while an answer is due: the client whose request went unanswered fails, and the others
//   get one new link per run; a second dead link fails every client, present and future.
// Why a client's requests failed (refused, did not answer, went away) is kept for its result.
#pragma once

#include "common/child_process.hpp"
#include "common/line_buffer.hpp"
#include "common/unique_fd.hpp"
#include "common/uv/handle.hpp"
#include "common/uv/stream.hpp"
#include "common/uv/timer.hpp"
#include "master/accountd_link.hpp"

#include <uv.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lacme::master {

class accountd_relay {
public:
    using link_opener = std::function<accountd_link()>;
    using log_fn = std::function<void(const std::string&)>;

    // Opens the first link now: opener's lacme::error is the caller's. answer_timeout bounds
    // every wait for accountd (the greeting, each answer).
    accountd_relay(uv_loop_t* loop, link_opener opener, std::chrono::seconds answer_timeout, log_fn debug_log);
    accountd_relay(const accountd_relay&) = delete;
    accountd_relay& operator=(const accountd_relay&) = delete;
    ~accountd_relay() = default;  // accountd processes still running are killed

    struct client_end {
        unique_fd socket;  // the client's end of its private connection
        std::uint64_t id;  // for failure_of
    };
    // The lines a client sends to the master rather than to accountd (common/dns01_protocol.hpp):
    // on_request gets each with a function that sends the answer (any time later, or never
    // once the client is gone); on_end runs once when the client's connection is dropped.
    struct master_requests {
        std::function<void(std::string_view line, std::function<void(std::string answer)> reply)> on_request;
        std::function<void()> on_end;
    };
    // Without master_requests, such a line is answered "dns-01 failed ...".
    client_end attach_client(master_requests requests = {});

    // Why this client got no signature (refused, did not answer, went away), if it did not.
    [[nodiscard]] std::optional<std::string> failure_of(std::uint64_t client) const;
    // The same, forgotten: for a client that goes on after a refusal with other orders (newOrders).
    [[nodiscard]] std::optional<std::string> take_failure_of(std::uint64_t client);
    // Why the relay serves nobody any more, once it does not.
    [[nodiscard]] const std::optional<std::string>& failure() const noexcept { return failure_; }
    [[nodiscard]] std::size_t requests_relayed() const noexcept { return relayed_; }
    [[nodiscard]] unsigned links_opened() const noexcept { return links_opened_; }

    // Ends the link (accountd reads EOF and exits) and waits up to grace for each accountd
    // process of the run, logging those that did not exit with 0.
    void close(std::chrono::milliseconds grace);

private:
    struct peer {
        uv::stream stream;
        line_buffer lines;
        master_requests requests;
    };
    struct request {
        std::uint64_t client;
        std::string line;  // as sent, to send again on a new link
    };

    void open_link();
    void retire_link();
    void reopen_if_needed();
    [[nodiscard]] bool awaiting_answer() const noexcept;
    void arm_timer();
    void on_upstream_data(std::string_view bytes);
    [[nodiscard]] bool take_greeting_line(std::string_view framed);
    void on_upstream_end(int status);
    void on_timeout();
    void on_refusal(std::uint64_t client, std::string refusal);
    void link_died(const std::string& reason);
    void on_peer_data(std::uint64_t id, std::string_view bytes);
    void on_master_request(std::uint64_t id, peer& p, std::string_view line);
    void end_peers();
    void answer(std::uint64_t id, std::string framed);
    void drop_peer(std::uint64_t id);
    void fail_client(std::uint64_t id, const std::string& reason);
    void fail(std::string reason);
    void greet(peer& p) const;

    uv_loop_t* loop_;
    link_opener open_link_;
    std::chrono::seconds answer_timeout_;
    log_fn debug_log_;
    std::optional<uv::stream> upstream_;  // the current link, if one is open
    std::optional<child_process> upstream_child_;
    std::vector<child_process> retired_children_;
    line_buffer upstream_lines_;
    uv::timer answer_timer_;
    std::optional<std::string> greeting_;  // both lines, as the first link sent them
    std::string partial_greeting_;  // of the current link
    int greeting_lines_ = 0;
    std::map<std::uint64_t, peer> peers_;
    std::deque<request> in_flight_;  // sent, unanswered, in the order of their answers
    std::size_t in_flight_bytes_ = 0;
    std::map<std::uint64_t, std::string> client_failures_;
    std::uint64_t next_id_ = 1;
    std::size_t relayed_ = 0;
    unsigned links_opened_ = 0;
    bool dead_link_reopened_ = false;
    std::optional<std::string> failure_;
};

}  // namespace lacme::master
