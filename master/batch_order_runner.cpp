// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/batch_order_runner.hpp"

#include "common/error.hpp"

namespace lacme::master {

bool batch_order_runner::run()
{
    return run_interruptibly(master_, {this});
}

void batch_order_runner::stop()
{
    pending_.clear();
    for (const auto& c : clients_)
        c.run->interrupt();
}

void batch_order_runner::start_more()
{
    while (clients_.size() < max_clients_ && !pending_.empty()) {
        const auto slot = clients_.emplace(clients_.end());
        try {
            accountd_relay& relay = master_.relay();
            if (relay.failure())
                throw error(*relay.failure());  // no client on a link known dead
            master_.log().debug("starting a newOrders client");
            slot->run = std::make_unique<batch_client_run>(
                master_.loop(), master_.config().client, relay, config_, directory_, master_.options().debug,
                [this, slot](client_result r) { on_answer(slot, std::move(r)); },
                [this, slot](std::optional<std::string> failure) { on_end(slot, std::move(failure)); });
            ++started_;
        } catch (const error& e) {
            clients_.erase(slot);
            job j = std::move(pending_.front());
            pending_.pop_front();
            j.on_done(client_result{std::string(e.what()), {}, {}});
            continue;
        }
        feed(slot);
    }
}

// The next queued order to this idle client, or the end of its input when none is left.
void batch_order_runner::feed(client_slot slot)
{
    while (!pending_.empty()) {
        job j = std::move(pending_.front());
        pending_.pop_front();
        try {
            master_.log().debug("[" + j.request.section + "] ordering through a newOrders client");
            slot->run->send(j.request);
            slot->in_flight = std::move(j);
            return;
        } catch (const error& e) {
            j.on_done(client_result{std::string(e.what()), {}, {}});
        }
    }
    slot->run->finish();
}

void batch_order_runner::on_answer(client_slot slot, client_result result)
{
    job done = std::move(*slot->in_flight);
    slot->in_flight.reset();
    done.on_done(std::move(result));
    feed(slot);
}

void batch_order_runner::on_end(client_slot slot, std::optional<std::string> failure)
{
    std::optional<job> unanswered = std::move(slot->in_flight);
    // Destroying the batch_client_run from its own callback is allowed (it returns right after).
    clients_.erase(slot);
    if (unanswered)
        unanswered->on_done(client_result{failure.value_or("client ended without answering"), {}, {}});
    else if (failure)
        master_.log().debug("a newOrders client ended: " + *failure);
    start_more();
}

}  // namespace lacme::master
