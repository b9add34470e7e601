// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/dns_propagation.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

#include <algorithm>

namespace lacme::master {
namespace {

constexpr std::chrono::milliseconds longest_backoff{8000};

// "example.org" for "_acme-challenge.example.org"; empty when nothing is left above a TLD.
std::string parent_zone(const std::string& name)
{
    const std::size_t dot = name.find('.');
    if (dot == std::string::npos || name.find('.', dot + 1) == std::string::npos)
        return {};
    return name.substr(dot + 1);
}

std::string joined(const std::vector<std::string>& items)
{
    std::string text;
    for (const auto& item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

}  // namespace

dns_propagation::dns_propagation(uv_loop_t* loop, const certificate_section& section, std::vector<dns_record> records,
                                 std::string log_prefix, logger& log, done_fn done)
    : loop_(loop), records_(std::move(records)), prefix_(std::move(log_prefix)), log_(log), done_(std::move(done)),
      timeout_(section.dns_propagation_timeout), round_timer_(loop, [this] { start_round(); }), deadline_(loop, [this] {
          finish("not visible on every server within dns-propagation-timeout = " + std::to_string(timeout_.count()) +
                 " s" + (last_miss_.empty() ? std::string() : ": " + last_miss_));
      })
{
    deadline_.start(timeout_);
    if (!section.dns_propagation_servers.empty()) {
        for (const auto& r : records_)
            for (const auto& s : section.dns_propagation_servers)
                checks_.push_back({r, s});
        round_timer_.start(std::chrono::milliseconds(0));
        return;
    }
    system_resolver_ = std::make_unique<dns_resolver>(loop_, std::vector<dns_server>{});
    std::vector<std::string> names;
    for (const auto& r : records_)
        if (std::find(names.begin(), names.end(), r.name) == names.end())
            names.push_back(r.name);
    names_to_discover_ = names.size();
    for (const auto& name : names)
        discover(name, name);
}

void dns_propagation::discover(const std::string& record_name, const std::string& zone)
{
    if (zone.empty())
        return finish("no NS records found for " + record_name + " or any parent domain");
    system_resolver_->query_ns(zone, [this, record_name, zone](const dns_resolver::name_answer& answer) {
        if (!done_)
            return;  // over already
        if (answer.names.empty())
            return discover(record_name, parent_zone(zone));
        log_.debug(prefix_ + "authoritative servers of " + zone + ": " + joined(answer.names));
        add_servers(record_name, answer.names);
    });
}

void dns_propagation::add_servers(const std::string& record_name, const std::vector<std::string>& hosts)
{
    auto hosts_left = std::make_shared<std::size_t>(hosts.size());
    for (const auto& host : hosts)
        system_resolver_->query_addresses(
            host, [this, record_name, host, hosts_left](dns_resolver::name_answer answer) {
                if (!done_)
                    return;
                if (answer.error)
                    log_.info(prefix_ + "authoritative server " + host + ": " + *answer.error);
                for (const auto& address : answer.names)
                    for (const auto& r : records_)
                        if (r.name == record_name)
                            checks_.push_back({r, {address, 53}});
                if (--*hosts_left > 0 || --names_to_discover_ > 0)
                    return;
                if (checks_.empty())
                    return finish("no address for the authoritative servers of " + record_name);
                start_round();
            });
}

dns_resolver& dns_propagation::resolver_for(const dns_server& server)
{
    auto& resolver = resolvers_[describe_dns_server(server)];
    if (!resolver)
        resolver = std::make_unique<dns_resolver>(loop_, std::vector<dns_server>{server});
    return *resolver;
}

void dns_propagation::start_round()
{
    last_miss_.clear();
    for (std::size_t i = 0; i < checks_.size(); ++i) {
        if (checks_[i].seen)
            continue;
        ++answers_due_;
        resolver_for(checks_[i].server)
            .query_txt(checks_[i].record.name,
                       [this, i](const dns_resolver::txt_answer& answer) { on_answer(i, answer); });
    }
}

void dns_propagation::on_answer(std::size_t index, const dns_resolver::txt_answer& answer)
{
    if (!done_)
        return;
    auto& c = checks_[index];
    c.seen = std::find(answer.values.begin(), answer.values.end(), c.record.value) != answer.values.end();
    if (!c.seen && last_miss_.empty())
        last_miss_ = describe_dns_server(c.server) + " " +
                     (answer.error ? "answers " + *answer.error : "does not serve " + c.record.value) + " for " +
                     c.record.name;
    if (--answers_due_ > 0)
        return;
    if (std::all_of(checks_.begin(), checks_.end(), [](const check& k) { return k.seen; }))
        return finish(std::nullopt);
    log_.debug(prefix_ + "dns-01 records not visible yet (" + last_miss_ + "): asking again in " +
               std::to_string(backoff_.count()) + " ms");
    round_timer_.start(backoff_);
    backoff_ = std::min(backoff_ * 2, longest_backoff);
}

void dns_propagation::finish(std::optional<std::string> failure)
{
    round_timer_.stop();
    deadline_.stop();
    auto done = std::move(done_);
    done_ = nullptr;
    if (done)
        done(std::move(failure));
}

}  // namespace lacme::master
