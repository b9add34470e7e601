// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/dns_publisher.hpp"

#include "common/error.hpp"
#include "common/text.hpp"
#include "master/dns_journal.hpp"

#include <algorithm>

namespace lacme::master {

dns_publisher::dns_publisher(uv_loop_t* loop, const certificate_section& section, logger& log)
    : loop_(loop),
      section_(section),
      log_(log),
      prefix_("[" + section.name + "] "),
      journal_(dns_journal_path(section.reference_certificate())),
      published_(read_dns_journal(journal_)),
      discard_(loop, [this] { finished_.reset(); })
{
}

accountd_relay::master_requests dns_publisher::requests()
{
    return {[this](std::string_view line, reply_fn reply) { on_request(line, std::move(reply)); },
            [this] { on_client_end(); }};
}

std::optional<std::string> dns_publisher::refusal(const dns01_request& request) const
{
    if (request.action == dns01_action::remove)
        return std::nullopt;  // only what is published is removed
    const auto identifiers = section_.identifiers();
    for (const auto& r : request.records) {
        const bool ours = std::any_of(identifiers.begin(), identifiers.end(), [&](const std::string& id) {
            return ascii_lower(dns01_record_name(id)) == ascii_lower(r.name);
        });
        if (!ours)
            return r.name + " is not the record of a name of this certificate";
    }
    if (published_.size() + request.records.size() > identifiers.size())
        return "more records than the certificate has names";
    return std::nullopt;
}

void dns_publisher::on_request(std::string_view line, reply_fn reply)
{
    try {
        dns01_request request = parse_dns01_request(line);
        if (const auto why = refusal(request)) {
            log_.info(prefix_ + "refused the client's dns-01 request: " + *why);
            return reply(dns01_failed_answer(*why));
        }
        queue_.push_back({request.action, std::move(request.records), std::move(reply), 0, std::nullopt});
        if (!current_)
            start_next();
    } catch (const error& e) {
        reply(dns01_failed_answer(e.what()));
    }
}

void dns_publisher::on_client_end()
{
    // Nobody waits for the answers any more: what was asked and not started is dropped, a
    // propagation check stops; remove_all() removes what is published.
    client_ended_ = true;
    queue_.clear();
    if (propagation_) {
        propagation_.reset();
        current_.reset();
    }
}

void dns_publisher::remove_all()
{
    client_ended_ = false;
    if (!published_.empty())
        queue_.push_back({dns01_action::remove, published_, [](std::string) {}, 0, std::nullopt});
    if (!current_)
        start_next();
}

void dns_publisher::start_next()
{
    if (queue_.empty())
        return;
    current_ = std::move(queue_.front());
    queue_.pop_front();
    if (current_->action == dns01_action::publish) {
        published_.insert(published_.end(), current_->records.begin(), current_->records.end());
        try {
            save_journal();  // before any hook adds a record
        } catch (const error& e) {
            published_.resize(published_.size() - current_->records.size());
            return complete(std::string(e.what()));
        }
    } else {
        std::erase_if(current_->records, [this](const dns_record& r) {
            return std::find(published_.begin(), published_.end(), r) == published_.end();
        });
    }
    run_next_hook();
}

void dns_publisher::run_next_hook()
{
    operation& op = *current_;
    // A failed add stops the publish (the rest is removed later); removal goes on past failures.
    if (op.next_hook == op.records.size() || (op.failure && op.action == dns01_action::publish) ||
        (client_ended_ && op.action == dns01_action::publish))
        return hooks_done();
    const dns_record record = op.records[op.next_hook++];
    try {
        hook_ = std::make_unique<dns_hook_run>(
            loop_, *section_.dns_hook, section_.dns_hook_timeout, op.action, record, prefix_, log_,
            [this, record](std::optional<std::string> failure) {
                hook_.reset();
                operation& current = *current_;
                if (failure) {
                    const std::string what = "dns-hook " + std::string(dns_hook_verb(current.action)) + " " +
                                             record.name + " " + *failure;
                    log_.info(prefix_ + what);
                    if (!current.failure)
                        current.failure = what;
                } else if (current.action == dns01_action::remove) {
                    std::erase(published_, record);
                }
                run_next_hook();
            });
    } catch (const error& e) {
        if (!op.failure)
            op.failure = std::string("dns-hook: ") + e.what();
        run_next_hook();
    }
}

void dns_publisher::hooks_done()
{
    operation& op = *current_;
    if (op.action == dns01_action::remove) {
        try {
            save_journal();
        } catch (const error& e) {
            log_.info(prefix_ + e.what());
        }
        return complete(op.failure);
    }
    if (op.failure || client_ended_)
        return complete(op.failure);
    propagation_ = std::make_unique<dns_propagation>(loop_, section_, op.records, prefix_, log_,
                                                     [this](std::optional<std::string> failure) {
                                                         finished_ = std::move(propagation_);
                                                         discard_.start(std::chrono::milliseconds(0));
                                                         complete(failure);
                                                     });
}

void dns_publisher::complete(std::optional<std::string> failure)
{
    operation op = std::move(*current_);
    current_.reset();
    if (failure)
        op.reply(dns01_failed_answer(*failure));
    else
        op.reply(dns01_done_answer(op.action));
    if (op.action == dns01_action::publish && !failure)
        log_.debug(prefix_ + "dns-01 records published");
    start_next();
}

void dns_publisher::save_journal()
{
    write_dns_journal(journal_, published_);
}

}  // namespace lacme::master
