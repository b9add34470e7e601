// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/serving/server.hpp"

#include <algorithm>
#include <thread>

namespace lacme::accountd {
namespace {

// More peers than this at once is a misbehaving client, not ACME traffic.
constexpr std::size_t max_connections = 512;

}  // namespace

socket_server::socket_server(signing_service& service, std::vector<socket_binding> bindings,
                             std::vector<std::string> paths, std::chrono::seconds idle_timeout,
                             const relay_directory* relays)
    : service_(service), paths_(std::move(paths)), pool_(max_connections, idle_timeout)
{
    pool_.relays = relays;
    const std::size_t count = std::max(1u, std::thread::hardware_concurrency());
    std::vector<loop_worker*> targets;
    for (std::size_t i = 0; i < count; ++i) {
        workers_.push_back(std::make_unique<loop_worker>(service, pool_));
        targets.push_back(workers_.back().get());
    }
    workers_.front()->accept_on(std::move(bindings), targets);
    // The first worker runs in run()'s thread, accepts, and owns the signals; stopping it
    // stops the others.
    workers_.front()->watch_signals([this] {
        for (std::size_t i = 1; i < workers_.size(); ++i)
            workers_[i]->request_stop();
    });
}

int socket_server::run()
{
    std::string where;
    for (const auto& path : paths_)
        where += (where.empty() ? "" : ", ") + path;
    service_.log().verbose("Starting lacme Account Key Manager at " + where);
    std::vector<std::jthread> threads;
    for (std::size_t i = 1; i < workers_.size(); ++i)
        threads.emplace_back([this, &worker = *workers_[i]] {
            try {
                worker.run();
            } catch (const std::exception& e) {
                service_.log().error(e.what());
            }
        });
    const int status = workers_.front()->run();
    threads.clear();  // joins
    return status;
}

stdio_server::stdio_server(signing_service& service, std::chrono::seconds idle_timeout)
    : pool_(1, idle_timeout), worker_(service, pool_)
{
    worker_.watch_signals({});
    worker_.serve_stdio();
}

int stdio_server::run()
{
    return worker_.run();
}

}  // namespace lacme::accountd
