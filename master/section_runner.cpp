#include "master/section_runner.hpp"

#include "common/error.hpp"

namespace lacme::master {

bool section_runner::run()
{
    master_.on_interrupt([this] {
        pending_.clear();
        for (const auto& r : running_)
            r->interrupt();
    });
    start_more();
    const bool completed = master_.run();
    master_.on_interrupt(nullptr);
    return completed;
}

void section_runner::start_more()
{
    while (running_.size() < max_concurrent_ && !pending_.empty()) {
        job j = std::move(pending_.front());
        pending_.pop_front();
        master_.log().debug("[" + j.section + "] starting the client");
        auto slot = running_.emplace(running_.end());
        auto on_done = [this, slot, callback = j.on_done](client_result result) {
            callback(std::move(result));
            // Destroying the client_run from its own callback is allowed (it returns right after).
            running_.erase(slot);
            start_more();
        };
        try {
            accountd_relay* relay = j.invocation.signs ? &master_.relay() : nullptr;
            *slot = std::make_unique<client_run>(master_.loop(), master_.config().client, relay,
                                                 std::move(j.invocation), master_.options().debug, std::move(on_done));
        } catch (const error& e) {
            running_.erase(slot);
            j.on_done(client_result{std::string(e.what()), {}, {}});
        }
    }
    if (running_.empty())
        master_.stop();  // nothing could start: run() must not wait on the signal watchers
}

}  // namespace lacme::master
