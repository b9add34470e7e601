// SPDX-License-Identifier: GPL-3.0-or-later
// What every command shares: the libuv loop, the record of a SIGINT/SIGTERM/SIGHUP (watched for
// the whole run without keeping the loop alive), and the run's relay to accountd (its first link
// opened on first use, so a run with nothing to do contacts nobody). Whoever runs the loop runs
// it dry.
#pragma once

#include "common/log.hpp"
#include "common/uv/loop.hpp"
#include "common/uv/signal_watcher.hpp"
#include "master/accountd_relay.hpp"
#include "master/command_line.hpp"
#include "master/settings.hpp"

#include <uv.h>

#include <memory>

namespace lacme::master {

class master_loop {
public:
    master_loop(const settings& s, const command_line& cl, logger& log);
    master_loop(const master_loop&) = delete;
    master_loop& operator=(const master_loop&) = delete;
    ~master_loop();

    [[nodiscard]] uv_loop_t* loop() noexcept { return loop_.get(); }
    [[nodiscard]] const settings& config() const noexcept { return settings_; }
    [[nodiscard]] const command_line& options() const noexcept { return options_; }
    [[nodiscard]] logger& log() noexcept { return log_; }
    [[nodiscard]] accountd_relay& relay();

    [[nodiscard]] bool interrupted() const noexcept { return interrupted_signal_ != 0; }
    [[nodiscard]] int interrupted_signal() const noexcept { return interrupted_signal_; }
    // Ends the accountd link and waits (bounded) for the spawned accountd processes to exit.
    void close_accountd();

private:
    uv::loop loop_;  // first: closes last
    const settings& settings_;
    const command_line& options_;
    logger& log_;
    uv::signal_watcher signals_;
    std::unique_ptr<accountd_relay> relay_;
    int interrupted_signal_ = 0;
};

}  // namespace lacme::master
