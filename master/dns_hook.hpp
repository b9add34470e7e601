// SPDX-License-Identifier: GPL-3.0-or-later
// One run of a section's dns-hook on the master's loop: `/bin/sh -c 'HOOK "$@"' dns-hook ACTION
// NAME VALUE` as root (the hook holds the DNS credentials, as notify holds the service's), in
// its own process group, with the minimal environment of every child, its output logged line by
// line ("[SECTION] [dns-hook] ...", capped), killed with its group past the timeout.
#pragma once

#include "common/child_process.hpp"
#include "common/dns01_protocol.hpp"
#include "common/line_buffer.hpp"
#include "common/log.hpp"
#include "common/uv/poll_watcher.hpp"
#include "common/uv/stream.hpp"
#include "common/uv/timer.hpp"

#include <uv.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace lacme::master {

class dns_hook_run {
public:
    // failure: one line (how it exited, or that it timed out), nullopt on exit status 0.
    using done_fn = std::function<void(std::optional<std::string> failure)>;

    // Throws lacme::error when the hook cannot be started. done is called from the loop, never
    // from the constructor; the object may be destroyed by it.
    dns_hook_run(uv_loop_t* loop, const std::string& hook, std::chrono::seconds timeout, dns01_action action,
                 const dns_record& record, std::string log_prefix, logger& log, done_fn done);
    dns_hook_run(const dns_hook_run&) = delete;
    dns_hook_run& operator=(const dns_hook_run&) = delete;
    ~dns_hook_run() = default;  // a hook still running is killed with its group

private:
    void on_output(std::string_view bytes);
    void on_exit();
    void finish(std::optional<std::string> failure);

    logger& log_;
    std::string prefix_;
    std::chrono::seconds timeout_;
    child_process child_;
    std::optional<uv::stream> output_;
    std::optional<uv::poll_watcher> exit_watch_;
    uv::timer timer_;
    line_buffer lines_;
    std::size_t logged_ = 0;
    bool output_done_ = false;
    std::optional<int> status_;
    done_fn done_;
};

// "add" or "remove", the hook's first argument.
[[nodiscard]] std::string_view dns_hook_verb(dns01_action action) noexcept;

}  // namespace lacme::master
