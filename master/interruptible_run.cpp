// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/interruptible_run.hpp"

#include "common/error.hpp"
#include "common/uv/signal_watcher.hpp"
#include "common/uv/timer.hpp"

#include <signal.h>

#include <optional>

namespace lacme::master {

bool run_interruptibly(master_loop& master, std::initializer_list<client_runner*> runners)
{
    const auto kill = [&] {
        for (client_runner* r : runners)
            r->kill();
    };
    if (master.interrupted())
        return false;
    std::optional<uv::timer> grace;
    uv::signal_watcher signals(master.loop(), {SIGINT, SIGTERM, SIGHUP}, [&](int) {
        if (grace)
            return;
        for (client_runner* r : runners)
            r->stop();
        try {
            grace.emplace(master.loop(), kill);
            grace->start(interrupt_grace);
        } catch (const error&) {
            kill();  // no grace then
            return;
        }
        // Only the clients keep the loop alive: the timer must not outlive them.
        grace->unref();
    });
    signals.unref();
    for (client_runner* r : runners)
        r->start();
    uv_run(master.loop(), UV_RUN_DEFAULT);
    kill();
    return !master.interrupted();
}

}  // namespace lacme::master
