// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/serving/server.hpp"

#include "accountd/serving/loop_worker.hpp"

#include <algorithm>
#include <thread>
#include <vector>

namespace lacme::accountd {
namespace {

// More peers than this at once is a misbehaving client, not ACME traffic.
constexpr std::size_t max_connections = 512;

}  // namespace

int serve_socket(signing_service& service, socket_listener& listener, std::chrono::seconds idle_timeout)
{
    const std::size_t count = std::max(1u, std::thread::hardware_concurrency());
    worker_pool_state pool(max_connections, idle_timeout);
    std::vector<std::unique_ptr<loop_worker>> workers;
    std::vector<loop_worker*> targets;
    for (std::size_t i = 0; i < count; ++i) {
        workers.push_back(std::make_unique<loop_worker>(service, pool));
        targets.push_back(workers.back().get());
    }
    workers.front()->accept_on(listener.fd(), targets);
    // The first worker runs here, accepts, and owns the signals; stopping it stops the others.
    workers.front()->watch_signals([&workers] {
        for (std::size_t i = 1; i < workers.size(); ++i)
            workers[i]->request_stop();
    });
    service.log().verbose("Starting lacme Account Key Manager at " + listener.path());
    std::vector<std::jthread> threads;
    for (std::size_t i = 1; i < count; ++i)
        threads.emplace_back([&service, &worker = *workers[i]] {
            try {
                worker.run();
            } catch (const std::exception& e) {
                service.log().error(e.what());
            }
        });
    const int status = workers.front()->run();
    threads.clear();  // joins
    return status;
}

int serve_stdio(signing_service& service, std::chrono::seconds idle_timeout)
{
    worker_pool_state pool(1, idle_timeout);
    loop_worker worker(service, pool);
    worker.watch_signals({});
    worker.serve_stdio();
    return worker.run();
}

}  // namespace lacme::accountd
