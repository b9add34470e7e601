// SPDX-License-Identifier: GPL-3.0-or-later
// One run of the ACME client (`command COMMAND CONFIG_FD SOCKET_FD ARGS`, lacme 0.8's interface)
// on the master's loop: config JSON on fd 3 (read-only temp file), its private accountd
// connection from the relay on fd 4, input on stdin, stdout captured (or the master's own
// stdout), stderr shared (or /dev/null). Dropped to [client] user/group, umask 0022, cwd the challenge dir.
#pragma once

#include "common/uv/stream.hpp"
#include "master/client_process.hpp"

#include <signal.h>
#include <uv.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace lacme::master {

struct client_result {
    std::optional<std::string> failure;  // one line (with the client's reason), nullopt on success
    std::string output;
    std::chrono::system_clock::time_point started;  // when the client was started
};

class client_run {
public:
    using done_fn = std::function<void(client_result)>;
    // Bounded: a client still running after this long is killed and the run fails.
    static constexpr std::chrono::seconds deadline{900};
    static constexpr std::size_t output_cap = std::size_t{1024} * 1024;

    // relay: null for an invocation that signs nothing (SOCKET_FD is then /dev/null).
    client_run(uv_loop_t* loop, const child_role& role, accountd_relay* relay, client_invocation invocation, bool debug,
               done_fn done);
    client_run(const client_run&) = delete;
    client_run& operator=(const client_run&) = delete;

    // SIGINT/SIGTERM of the master: the client is told to stop too.
    void interrupt() const noexcept { client_->signal(SIGTERM); }

private:
    void on_output(std::string_view bytes);
    void finish();

    std::optional<watched_client> client_;
    std::optional<uv::stream> input_;
    std::string output_bytes_;
    std::chrono::system_clock::time_point started_ = std::chrono::system_clock::now();
    done_fn done_;
};

}  // namespace lacme::master
