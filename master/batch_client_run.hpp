// SPDX-License-Identifier: GPL-3.0-or-later
// One client serving many certificate sections' orders (`command newOrders CONFIG_FD SOCKET_FD`,
// framing in common/order_batch_protocol.hpp) on the master's loop: one process, one accountd
// connection from the relay, one TLS connection to the CA for all of them, which saves the
// start of a process per section. The master sends one request at a time on its stdin and
// reads the answer on its stdout; the client's stderr lines are prefixed with the section whose
// order it is on. Bounded as client_run: each order its deadline, each answer line its size.
#pragma once

#include "common/line_buffer.hpp"
#include "common/order_batch_protocol.hpp"
#include "common/uv/stream.hpp"
#include "master/client_process.hpp"
#include "master/client_run.hpp"

#include <signal.h>
#include <uv.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace lacme::master {

class batch_client_run {
public:
    // The answer to the request sent last: the chain in output, or the section's failure.
    using answer_fn = std::function<void(client_result)>;
    // Once, when the client has ended: why (with the request it left unanswered, if any, which
    // failed for that reason), nullopt for a client that ended as asked with nothing pending.
    using end_fn = std::function<void(std::optional<std::string> failure)>;

    // config: the [client] section for CONFIG_FD; directory: the challenge directory.
    batch_client_run(uv_loop_t* loop, const child_role& role, accountd_relay& relay, const nlohmann::json& config,
                     const std::string& directory, bool debug, answer_fn on_answer, end_fn on_end);
    batch_client_run(const batch_client_run&) = delete;
    batch_client_run& operator=(const batch_client_run&) = delete;

    // Sends an order, only while none is in flight; lacme::error (nothing sent) for a request
    // that cannot be framed. A client that does not take it is ended (on_end).
    void send(const order_batch_request& request);
    // No more orders: the client reads the end of its input and exits.
    void finish();
    // SIGINT/SIGTERM of the master: the client is told to stop too.
    void interrupt() const noexcept { client_->signal(SIGTERM); }

private:
    void on_output(std::string_view bytes);
    void take_answer(std::string_view line);
    void finish_run();

    accountd_relay& relay_;
    std::optional<watched_client> client_;
    std::optional<uv::stream> input_;
    line_buffer answers_{order_batch_max_line};
    std::optional<std::string> in_flight_;  // the section of the request sent last, until answered
    std::chrono::system_clock::time_point sent_;
    answer_fn on_answer_;
    end_fn on_end_;
};

}  // namespace lacme::master
