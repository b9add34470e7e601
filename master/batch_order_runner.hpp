// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the orders of many certificate sections through at most max_clients batch clients
// (master/batch_client_run.hpp) that take them from one shared queue: the next order goes to
// whichever client answered, so a slow order (a CA's Retry-After) holds one client only. Each
// job's callback gets its order's result as it arrives; a failing order never stops the others.
// A client that ends with orders still queued is replaced (each new client gets an order at
// once, so a client that dies at every start costs one order each, never a loop). run() owns
// its stopping as section_runner's does (master/interruptible_run.hpp): a signal drops the
// queued orders, sends SIGTERM to the clients and kills those left after the grace.
#pragma once

#include "common/order_batch_protocol.hpp"
#include "master/batch_client_run.hpp"
#include "master/interruptible_run.hpp"
#include "master/master_loop.hpp"

#include <nlohmann/json.hpp>

#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>

namespace lacme::master {

class batch_order_runner final : public client_runner {
public:
    struct job {
        order_batch_request request;
        std::function<void(client_result)> on_done;
    };

    // config: the [client] section for every client; directory: the challenge directory.
    batch_order_runner(master_loop& master, unsigned max_clients, nlohmann::json config, std::string directory)
        : master_(master), max_clients_(max_clients), config_(std::move(config)), directory_(std::move(directory))
    {}

    void add(job j) { pending_.push_back(std::move(j)); }
    // Returns when every job has finished, or false when a signal interrupted the run (or came
    // before it); the callbacks of the jobs dropped then are never called.
    bool run();

    // For a run shared with another runner (run_interruptibly).
    void start() override { start_more(); }
    void stop() override;
    void kill() override { clients_.clear(); }
    // How many client processes run() started.
    [[nodiscard]] unsigned clients_started() const noexcept { return started_; }

private:
    struct client {
        std::unique_ptr<batch_client_run> run;
        std::optional<job> in_flight;
    };
    using client_slot = std::list<client>::iterator;

    void start_more();
    void feed(client_slot slot);
    void on_answer(client_slot slot, client_result result);
    void on_end(client_slot slot, std::optional<std::string> failure);

    master_loop& master_;
    unsigned max_clients_;
    nlohmann::json config_;
    std::string directory_;
    std::deque<job> pending_;
    std::list<client> clients_;
    unsigned started_ = 0;
};

}  // namespace lacme::master
