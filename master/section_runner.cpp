// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/section_runner.hpp"

#include "common/error.hpp"

namespace lacme::master {

bool section_runner::run()
{
    return run_interruptibly(master_, {this});
}

void section_runner::stop()
{
    pending_.clear();
    for (const auto& r : running_)
        r->interrupt();
}

void section_runner::start_more()
{
    while (running_.size() < max_concurrent_ && !pending_.empty()) {
        job j = std::move(pending_.front());
        pending_.pop_front();
        auto slot = running_.emplace(running_.end());
        auto on_done = [this, slot, callback = j.on_done](client_result result) {
            callback(std::move(result));
            // Destroying the client_run from its own callback is allowed (it returns right after).
            running_.erase(slot);
            start_more();
        };
        try {
            accountd_relay* relay = j.invocation.signs ? &master_.relay() : nullptr;
            if (relay && relay->failure())
                throw error(*relay->failure());  // no client on a link known dead
            master_.log().debug("[" + j.section + "] starting the client");
            *slot = std::make_unique<client_run>(master_.loop(), master_.config().client, relay,
                                                 std::move(j.invocation), master_.options().debug, std::move(on_done));
        } catch (const error& e) {
            running_.erase(slot);
            j.on_done(client_result{std::string(e.what()), {}, {}});
        }
    }
}

std::optional<std::string> run_one_client(master_loop& master, client_invocation invocation)
{
    std::optional<client_result> result;
    section_runner runner(master, 1);
    runner.add({invocation.command, std::move(invocation), [&](client_result r) { result = std::move(r); }});
    if (!runner.run())
        return "interrupted by signal " + std::to_string(master.interrupted_signal());
    return result->failure;
}

}  // namespace lacme::master
