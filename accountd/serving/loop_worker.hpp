// SPDX-License-Identifier: GPL-3.0-or-later
// One event loop and the connections it serves. In socket mode there is one worker per core,
// each in its own thread; the first one accepts and deals connections out in turn, so in-memory
// keys sign on every core with no per-signature hand-off between threads. --stdio uses a
// single worker.
#pragma once

#include "accountd/serving/connection.hpp"
#include "accountd/serving/connection_acceptor.hpp"
#include "accountd/relay/relay_handshake.hpp"
#include "accountd/serving/connection_slots.hpp"
#include "accountd/serving/signing_service.hpp"
#include "accountd/serving/socket_binding.hpp"
#include "common/unique_fd.hpp"
#include "common/uv/handle.hpp"
#include "common/uv/loop.hpp"
#include "common/uv/signal_watcher.hpp"

#include <sys/types.h>
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
    {}

    connection_slots slots;
    std::atomic<std::uint64_t> next_id{0};
    const std::chrono::seconds idle_timeout;
    const relay_directory* relays = nullptr;  // with a relay socket: the listeners it may name
};

class loop_worker {
public:
    loop_worker(signing_service& service, worker_pool_state& pool);
    loop_worker(const loop_worker&) = delete;
    loop_worker& operator=(const loop_worker&) = delete;
    ~loop_worker();

    // Accepts connections on each binding's socket (owned by the caller) and deals them out to
    // workers.
    void accept_on(std::vector<socket_binding> bindings, std::vector<loop_worker*> workers);
    // The same for one socket whose connections serve the service's fallback tenant.
    void accept_on(int listen_fd, std::vector<loop_worker*> workers);

    // A connection accepted on one of the bindings (which outlive every worker).
    struct accepted {
        unique_fd fd;
        const socket_binding* binding;
    };
    // Thread-safe: serve this accepted connection.
    void adopt(accepted conn);
    // Serves stdin/stdout; the worker stops when that peer is done.
    void serve_stdio();
    // SIGINT/SIGTERM stop this worker, then call on_signal (to stop the others).
    void watch_signals(std::function<void()> on_signal);

    // Runs the loop until stopped; returns the exit status.
    int run();
    // Thread-safe: asks the loop to close everything and return from run().
    void request_stop();

private:
    void hand_on(accepted conn);
    [[nodiscard]] bool relay_peer_allowed(int fd);
    void serve_accepted(accepted conn);
    void serve_stream(const std::string& id, unique_fd fd, const tenant& who, std::string_view already_read = {});
    void start_relay_handshake(std::string id, unique_fd fd);
    void on_relay_header(const std::string& id, relay_handshake& handshake);
    void refuse_relay(const std::string& id, int fd, const std::string& reason);
    void drain_inbox();
    void add_connection(std::string id, const tenant& who, uv::handle_ptr<uv_stream_t> in,
                        uv::handle_ptr<uv_stream_t> out, std::string_view already_read = {});
    void retire(connection& conn, bool refused);
    void reap_later();
    void stop();

    signing_service& service_;
    worker_pool_state& pool_;
    const uid_t own_uid_;  // read before the sandbox, which forbids geteuid for file keys
    uv::loop loop_;  // first: the handles below close before it
    bool stdio_ = false;
    bool stopped_ = false;
    int exit_status_ = 0;
    std::vector<loop_worker*> workers_;  // accepting worker only: where connections go
    std::size_t next_worker_ = 0;
    std::vector<socket_binding> bindings_;  // accepting worker only; not resized once accepting
    std::vector<std::unique_ptr<connection_acceptor>> acceptors_;
    uv::handle_ptr<uv_async_t> wakeup_;  // new connections in the inbox, or a stop request
    std::mutex inbox_mutex_;
    std::vector<accepted> inbox_;
    std::atomic<bool> stop_requested_{false};
    uv::handle_ptr<uv_idle_t> reaper_;  // frees finished connections outside their callbacks
    std::optional<uv::signal_watcher> signals_;
    // Reads land here and are consumed at once, so the loop's connections share it.
    std::vector<char> read_buffer_ = std::vector<char>(std::size_t{64} * 1024);
    std::map<connection*, std::unique_ptr<connection>> connections_;
    std::vector<std::unique_ptr<connection>> retired_;
    std::map<relay_handshake*, std::unique_ptr<relay_handshake>> handshakes_;
    std::vector<std::unique_ptr<relay_handshake>> retired_handshakes_;
};

}  // namespace lacme::accountd
