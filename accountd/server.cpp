#include "accountd/server.hpp"

#include "accountd/loop_worker.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace lacme::accountd {
namespace {

// More peers than this at once is a misbehaving client, not ACME traffic.
constexpr std::size_t max_connections = 512;

}  // namespace

int serve_socket(signing_service& service, socket_listener& listener)
{
    const std::size_t count = std::max(1u, std::thread::hardware_concurrency());
    std::atomic<std::uint64_t> next_id{0};
    std::vector<std::unique_ptr<loop_worker>> workers;
    std::vector<loop_worker*> targets;
    for (std::size_t i = 0; i < count; ++i) {
        workers.push_back(std::make_unique<loop_worker>(service, next_id, max_connections / count));
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
                service.log().info(std::string("Error: ") + e.what());
            }
        });
    const int status = workers.front()->run();
    threads.clear();  // joins
    return status;
}

int serve_stdio(signing_service& service)
{
    std::atomic<std::uint64_t> next_id{0};
    loop_worker worker(service, next_id, 1);
    worker.watch_signals({});
    worker.serve_stdio();
    return worker.run();
}

}  // namespace lacme::accountd
