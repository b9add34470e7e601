// SPDX-License-Identifier: GPL-3.0-or-later
// What every run of the ACME client is made of, whether it serves one command
// (master/client_run.hpp) or many sections' orders (master/batch_client_run.hpp): the process
// started the lacme 0.8 way (`command COMMAND CONFIG_FD SOCKET_FD ARGS`, dropped to [client]
// user/group, umask 0022, cwd the challenge dir), the watch on its exit, its deadline, its
// stderr read line by line for a section, and the one line that says why it failed.
#pragma once

#include "common/child_process.hpp"
#include "common/unique_fd.hpp"
#include "common/uv/poll_watcher.hpp"
#include "common/uv/stream.hpp"
#include "common/uv/timer.hpp"
#include "master/accountd_relay.hpp"
#include "master/client_stderr.hpp"
#include "master/settings.hpp"

#include <nlohmann/json.hpp>
#include <uv.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::master {

struct client_invocation {
    std::string command;  // account, newOrder, newOrders, revokeCert, renewal-info
    std::vector<std::string> arguments;
    nlohmann::json config;  // written to CONFIG_FD
    std::optional<std::string> input;  // stdin (CSR or certificate, DER); /dev/null if absent
    bool capture_output = true;  // false: stdout is the master's stdout (account)
    bool show_errors = true;  // false: stderr is /dev/null unless --debug (a failure is expected)
    bool signs = true;  // false (renewal-info): no accountd connection is opened for it
    std::string directory = "/";
    unique_fd new_key_connection;  // account --rollover: the new key's accountd, as fd 5
    // The certificate section the run is for: its stderr lines are prefixed with "[SECTION] " and
    // the last error line is the failure's reason. Empty: stderr is the master's own.
    std::string section;
    // dns-01: the section's records, asked for on the accountd socket (master/dns_publisher.hpp).
    accountd_relay::master_requests master_requests;
};

// A started client on the master's loop until it has exited and its stdout and stderr have
// ended; then on_finished, once (it may destroy this object). Its stdout (if captured) goes to
// on_output; its stderr (for a section) through client_stderr to the master's stderr.
class watched_client {
public:
    using output_fn = std::function<void(std::string_view bytes)>;

    // relay: null for an invocation that signs nothing (SOCKET_FD is then /dev/null). Takes the
    // invocation's new_key_connection and master_requests. Throws lacme::error.
    watched_client(uv_loop_t* loop, const child_role& role, accountd_relay* relay, client_invocation& invocation,
                   bool debug, output_fn on_output, std::function<void()> on_finished);
    watched_client(const watched_client&) = delete;
    watched_client& operator=(const watched_client&) = delete;
    ~watched_client();

    // The master's end of its stdin (invocation.input set), for the owner to write; once.
    [[nodiscard]] unique_fd take_input() { return std::move(input_); }
    // SIGKILL, and its output is no longer read; the first reason given is its failure. Never
    // calls back before it returns (on_finished comes from the loop): its caller may be in the
    // middle of reading an answer or feeding the next request.
    void kill(std::string reason);
    [[nodiscard]] bool killed() const noexcept { return failure_.has_value(); }
    void signal(int signo) const noexcept { child_.signal(signo); }
    // Kills it, "client timed out after N s", unless disarmed within `limit`; restarts the wait.
    void arm_deadline(std::chrono::seconds limit);
    void disarm_deadline() noexcept;
    // Its stderr lines, if they go through client_stderr (a section's run).
    [[nodiscard]] client_stderr* error_lines() noexcept { return error_lines_ ? &*error_lines_ : nullptr; }
    // Hands on what it wrote on stderr so far (before it answered on stdout: the lines keep their order).
    void read_errors_now();
    [[nodiscard]] std::uint64_t relay_client() const noexcept { return relay_client_; }
    // Once finished, why it failed: the kill's reason; else, if it did not exit with 0, accountd's
    // reason if it got no signature, else its last error line (with how it exited), else how
    // it exited. nullopt for a client that exited with 0.
    [[nodiscard]] std::optional<std::string> failure() const;

private:
    void finish_if_done();

    accountd_relay* relay_;
    std::uint64_t relay_client_ = 0;
    child_process child_;
    unique_fd input_;
    std::optional<uv::stream> output_;
    std::optional<uv::stream> errors_;
    std::optional<client_stderr> error_lines_;
    std::optional<uv::poll_watcher> exit_watch_;
    std::optional<uv::timer> timer_;
    std::optional<uv::timer> settle_;  // finishes a killed client from the loop
    std::chrono::seconds limit_{0};
    bool output_done_ = true;
    bool errors_done_ = true;
    std::optional<int> status_;
    std::optional<std::string> failure_;
    std::function<void()> on_finished_;
};

// The read-only fd of a temp file holding the JSON config, already unlinked.
unique_fd config_fd_for(const nlohmann::json& config);

}  // namespace lacme::master
