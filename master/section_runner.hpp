// SPDX-License-Identifier: GPL-3.0-or-later
// Runs one client per section on the master's loop, at most max_concurrent at a time; a failing
// section never stops the others. Each job's callback gets its client's result as it finishes.
// run() owns its stopping (master/interruptible_run.hpp): a signal drops the jobs not started
// yet, sends SIGTERM to the running clients and kills those left after a grace.
#pragma once

#include "master/client_run.hpp"
#include "master/interruptible_run.hpp"
#include "master/master_loop.hpp"

#include <chrono>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>

namespace lacme::master {

class section_runner final : public client_runner {
public:
    struct job {
        std::string section;
        client_invocation invocation;
        std::function<void(client_result)> on_done;
    };

    section_runner(master_loop& master, unsigned max_concurrent) : master_(master), max_concurrent_(max_concurrent) {}

    void add(job j) { pending_.push_back(std::move(j)); }
    // Returns when every job has finished, or false when a signal interrupted the run (or came
    // before it); the callbacks of the jobs dropped or killed then are never called.
    bool run();

    // For a run shared with another runner (run_interruptibly).
    void start() override { start_more(); }
    void stop() override;
    void kill() override { running_.clear(); }

private:
    void start_more();

    master_loop& master_;
    unsigned max_concurrent_;
    std::deque<job> pending_;
    std::list<std::unique_ptr<client_run>> running_;
};

// Runs one client to completion on the master's loop; returns its failure line, if any.
std::optional<std::string> run_one_client(master_loop& master, client_invocation invocation);

}  // namespace lacme::master
