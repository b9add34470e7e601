// SPDX-License-Identifier: GPL-3.0-or-later
// One event loop and the connections it serves. In socket mode there is one worker per core,
// each in its own thread; the first one accepts and deals connections out in turn, so in-memory
// keys sign on every core with no per-signature hand-off between threads. --stdio uses a
// single worker.
#pragma once

#include "accountd/serving/connection.hpp"
#include "accountd/serving/connection_acceptor.hpp"
#include "accountd/serving/connection_slots.hpp"
#include "accountd/serving/signing_service.hpp"
#include "common/unique_fd.hpp"
#include "common/uv/handle.hpp"
#include "common/uv/loop.hpp"
#include "common/uv/signal_watcher.hpp"

#include <uv.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace lacme::accountd {

// What the workers of one daemon share; thread-safe.
struct worker_pool_state {
    worker_pool_state(std::size_t max_connections, std::chrono::seconds timeout)
        : slots(max_connections), idle_timeout(timeout)
    {
    }

    connection_slots slots;
    std::atomic<std::uint64_t> next_id{0};
    const std::chrono::seconds idle_timeout;
};

class loop_worker {
public:
    loop_worker(signing_service& service, worker_pool_state& pool);
    loop_worker(const loop_worker&) = delete;
    loop_worker& operator=(const loop_worker&) = delete;
    ~loop_worker();

    // Accepts connections on listen_fd (owned by the caller) and deals them out to workers.
    void accept_on(int listen_fd, std::vector<loop_worker*> workers);
    // Thread-safe: serve this accepted connection.
    void adopt(unique_fd fd);
    // Serves stdin/stdout; the worker stops when that peer is done.
    void serve_stdio();
    // SIGINT/SIGTERM stop this worker, then call on_signal (to stop the others).
    void watch_signals(std::function<void()> on_signal);

    // Runs the loop until stopped; returns the exit status.
    int run();
    // Thread-safe: asks the loop to close everything and return from run().
    void request_stop();

private:
    void hand_on(unique_fd fd);
    void serve_accepted(unique_fd fd);
    void drain_inbox();
    void add_connection(std::string id, uv::handle_ptr<uv_stream_t> in, uv::handle_ptr<uv_stream_t> out);
    void retire(connection& conn, bool refused);
    void stop();

    signing_service& service_;
    worker_pool_state& pool_;
    uv::loop loop_;  // first: the handles below close before it
    bool stdio_ = false;
    bool stopped_ = false;
    int exit_status_ = 0;
    std::vector<loop_worker*> workers_;  // accepting worker only: where connections go
    std::size_t next_worker_ = 0;
    std::unique_ptr<connection_acceptor> acceptor_;
    uv::handle_ptr<uv_async_t> wakeup_;  // new connections in the inbox, or a stop request
    std::mutex inbox_mutex_;
    std::vector<unique_fd> inbox_;
    std::atomic<bool> stop_requested_{false};
    uv::handle_ptr<uv_idle_t> reaper_;  // frees finished connections outside their callbacks
    std::optional<uv::signal_watcher> signals_;
    // Reads land here and are consumed at once, so the loop's connections share it.
    std::vector<char> read_buffer_ = std::vector<char>(64 * 1024);
    std::map<connection*, std::unique_ptr<connection>> connections_;
    std::vector<std::unique_ptr<connection>> retired_;
};

}  // namespace lacme::accountd
