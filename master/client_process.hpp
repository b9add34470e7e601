// SPDX-License-Identifier: GPL-3.0-or-later
// The pieces every run of the ACME client is made of, whether it serves one command
// (master/client_run.hpp) or many sections' orders (master/batch_client_run.hpp): the process
// started the lacme 0.8 way (`command COMMAND CONFIG_FD SOCKET_FD ARGS`, dropped to [client]
// user/group, umask 0022, cwd the challenge dir), the watch on its exit, its stderr read line by
// line for a section, and the one line that says why it failed.
#pragma once

#include "common/child_process.hpp"
#include "common/unique_fd.hpp"
#include "common/uv/poll_watcher.hpp"
#include "common/uv/stream.hpp"
#include "master/accountd_relay.hpp"
#include "master/client_stderr.hpp"
#include "master/settings.hpp"

#include <nlohmann/json.hpp>
#include <uv.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
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

// A started client and the master's ends of the pipes its invocation asked for (invalid fds
// for those it did not: stdin from input, stdout from capture_output, stderr from section).
struct spawned_client {
    child_process child;
    std::uint64_t relay_client = 0;  // its accountd connection, for accountd_relay::failure_of
    unique_fd input;
    unique_fd output;
    unique_fd errors;
};

// relay: null for an invocation that signs nothing (SOCKET_FD is then /dev/null). Takes the
// invocation's new_key_connection and master_requests. Throws lacme::error.
spawned_client spawn_client(const child_role& role, accountd_relay* relay, client_invocation& invocation, bool debug);

// Calls on_exit with the wait status once the child has exited (and is reaped).
class client_exit_watch {
public:
    client_exit_watch(uv_loop_t* loop, child_process& child, std::function<void(int status)> on_exit);

private:
    void on_ready();

    child_process& child_;
    std::function<void(int status)> on_exit_;
    uv::poll_watcher watch_;
};

// Reads the client's stderr (fd from spawned_client::errors) into lines; on_end at its end.
uv::stream read_client_errors(uv_loop_t* loop, unique_fd fd, client_stderr& lines, std::function<void()> on_end);

// Why a client that exited with `status` failed: accountd's reason if it got no signature, else
// its last error line (with how it exited), else how it exited.
std::string client_failure(int status, const client_stderr* lines, std::optional<std::string> accountd_failure);

// The read-only fd of a temp file holding the JSON config, already unlinked.
unique_fd config_fd_for(const nlohmann::json& config);

}  // namespace lacme::master
