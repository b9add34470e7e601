// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/dns_publisher.hpp"

#include "common/error.hpp"
#include "common/text.hpp"
#include "master/dns_hook_publisher.hpp"
#include "master/dns_resolver.hpp"
#include "master/dns_update_publisher.hpp"

#include <algorithm>

namespace lacme::master {

dns_publisher::dns_publisher(uv_loop_t* loop, const certificate_section& section, logger& log)
    : loop_(loop), section_(section), log_(log), prefix_("[" + section.name + "] "),
      journal_(dns_journal_path(section.reference_certificate())), published_(read_dns_journal(journal_)),
      discard_(loop, [this] { finished_.reset(); })
{}

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
    dns01_request request{};
    std::vector<dns_journal_entry> entries;
    try {
        request = parse_dns01_request(line);
        if (const auto why = refusal(request)) {
            log_.info(prefix_ + "refused the client's dns-01 request: " + *why);
            return reply(dns01_failed_answer(*why));
        }
        entries = entries_of(request);
    } catch (const error& e) {
        return reply(dns01_failed_answer(e.what()));
    }
    // From here the reply belongs to the queued operation, which answers even when it fails.
    queue_.push_back({request.action, std::move(entries), std::move(reply), 0, std::nullopt, false});
    if (!current_)
        start_next();
}

std::vector<dns_journal_entry> dns_publisher::entries_of(const dns01_request& request) const
{
    std::vector<dns_journal_entry> entries;
    for (const auto& r : request.records) {
        if (request.action == dns01_action::publish) {
            entries.push_back({r, section_.dns_update});
            continue;
        }
        // Removed the way it was added; what is not published is not removed.
        const auto it = std::find_if(published_.begin(), published_.end(),
                                     [&](const dns_journal_entry& e) { return e.record == r; });
        if (it != published_.end())
            entries.push_back(*it);
    }
    return entries;
}

dns_record_publisher* dns_publisher::publisher_for(const dns_journal_entry& entry)
{
    if (entry.update) {
        const auto& u = *entry.update;
        auto& p = update_publishers_[describe_dns_server(u.server) + " " + u.tsig_key + " " + u.zone.value_or("")];
        if (!p)
            p = std::make_unique<dns_update_publisher>(loop_, u, prefix_, log_);
        return p.get();
    }
    if (!section_.dns_hook)
        return nullptr;
    if (!hook_publisher_)
        hook_publisher_ =
            std::make_unique<dns_hook_publisher>(loop_, *section_.dns_hook, section_.dns_hook_timeout, prefix_, log_);
    return hook_publisher_.get();
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
        queue_.push_back({dns01_action::remove, published_, [](const std::string&) {}, 0, std::nullopt, false});
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
            save_journal();  // before any record is added
        } catch (const error& e) {
            published_.resize(published_.size() - current_->records.size());
            return complete(std::string(e.what()));
        }
    } else {
        std::erase_if(current_->records, [this](const dns_journal_entry& e) {
            return std::find(published_.begin(), published_.end(), e) == published_.end();
        });
    }
    run_next_change();
}

void dns_publisher::run_next_change()
{
    operation& op = *current_;
    // A failed add stops the publish (the rest is removed later); removal goes on past failures.
    if (op.next_change == op.records.size() || (op.failure && op.action == dns01_action::publish) ||
        (client_ended_ && op.action == dns01_action::publish))
        return changes_done();
    const dns_journal_entry entry = op.records[op.next_change++];
    dns_record_publisher* publisher = publisher_for(entry);
    if (!publisher) {
        if (!op.failure)
            op.failure = entry.record.name + " was added by a dns-hook, and the section has none now";
        return run_next_change();
    }
    publisher->change(op.action, entry.record, [this, entry](dns_change_outcome outcome) {
        operation& current = *current_;
        if (outcome.failure) {
            log_.info(prefix_ + *outcome.failure);
            if (!current.failure)
                current.failure = outcome.failure;
        }
        // Removed, or an add that certainly added nothing: no longer published.
        if ((!outcome.failure && current.action == dns01_action::remove) ||
            (outcome.unchanged && current.action == dns01_action::publish)) {
            std::erase(published_, entry);
            current.journal_stale = true;
        }
        run_next_change();
    });
}

void dns_publisher::changes_done()
{
    operation& op = *current_;
    if (op.action == dns01_action::publish && op.next_change < op.records.size()) {
        // A publish stopped early: the records after the failure were never added.
        for (auto e = op.records.begin() + static_cast<std::ptrdiff_t>(op.next_change); e != op.records.end(); ++e)
            if (const auto it = std::find(published_.begin(), published_.end(), *e); it != published_.end())
                published_.erase(it);
        op.journal_stale = true;
    }
    if (op.journal_stale) {
        try {
            save_journal();
        } catch (const error& e) {
            log_.info(prefix_ + e.what());
        }
    }
    if (op.action == dns01_action::remove)
        return complete(op.failure);
    if (op.failure || client_ended_)
        return complete(op.failure);
    std::vector<dns_record> records;
    for (const auto& e : op.records)
        records.push_back(e.record);
    propagation_ = std::make_unique<dns_propagation>(loop_, section_, std::move(records), prefix_, log_,
                                                     [this](std::optional<std::string> failure) {
                                                         finished_ = std::move(propagation_);
                                                         discard_.start(std::chrono::milliseconds(0));
                                                         complete(std::move(failure));
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
