// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/dns_update_publisher.hpp"

#include "common/error.hpp"

#include <openssl/rand.h>

namespace lacme::master {
namespace {

std::uint16_t random_id()
{
    unsigned char bytes[2] = {};
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw error("no random bytes for a DNS message id");
    return static_cast<std::uint16_t>((bytes[0] << 8) | bytes[1]);
}

// name without its first label; empty at the last one.
std::string parent_name(const std::string& name)
{
    const std::size_t dot = name.find('.');
    return dot == std::string::npos ? std::string() : name.substr(dot + 1);
}

}  // namespace

dns_update_publisher::dns_update_publisher(uv_loop_t* loop, dns_update_settings settings, std::string log_prefix,
                                           logger& log)
    : loop_(loop), settings_(std::move(settings)), prefix_(std::move(log_prefix)), log_(log),
      later_(loop, [this] { finish(std::move(pending_)); })
{}

std::string dns_update_publisher::where(const std::string& zone) const
{
    return "RFC 2136 update (" + std::string(action_ == dns01_action::publish ? "add " : "delete ") + record_.name +
           ") at " + describe_dns_server(settings_.server) + (zone.empty() ? "" : ", zone " + zone) + ": ";
}

void dns_update_publisher::change(dns01_action action, const dns_record& record, done_fn done)
{
    action_ = action;
    record_ = record;
    done_ = std::move(done);
    try {
        key_.emplace(read_tsig_key(settings_.tsig_key));
    } catch (const error& e) {
        return fail_later(where(settings_.zone.value_or("")) + e.what());
    }
    if (settings_.zone)
        return send(*settings_.zone);
    if (const auto known = zones_.find(record.name); known != zones_.end())
        return send(known->second);
    look_up_zone(record.name);
}

void dns_update_publisher::look_up_zone(const std::string& name)
{
    if (name.empty() || name.find('.') == std::string::npos)
        return fail_later(where("") + "no zone found for " + record_.name + " (no SOA answer; set dns-zone)");
    try {
        if (!resolver_)
            resolver_ = std::make_unique<dns_resolver>(loop_, std::vector<dns_server>{settings_.server});
    } catch (const error& e) {
        return fail_later(where("") + e.what());
    }
    resolver_->query_soa(name, [this, name](const dns_resolver::name_answer& answer) {
        if (answer.error)
            return look_up_zone(parent_name(name));
        zones_[record_.name] = name;
        log_.debug(prefix_ + "zone of " + record_.name + " at " + describe_dns_server(settings_.server) + ": " + name);
        send(name);
    });
}

void dns_update_publisher::send(const std::string& zone)
{
    try {
        update_.emplace(zone, action_, record_, *key_, random_id());
        exchange_ = std::make_unique<dns_tcp_exchange>(
            loop_, settings_.server, update_->wire(),
            [this, zone](std::optional<std::string> failure, std::vector<std::uint8_t> response) {
                on_response(zone, std::move(failure), std::move(response));
            });
    } catch (const error& e) {
        fail_later(where(zone) + e.what());
    }
}

void dns_update_publisher::on_response(const std::string& zone, std::optional<std::string> failure,
                                       std::vector<std::uint8_t> response)
{
    // Nothing reached the server when it could not be reached; a refusal changed nothing either.
    dns_change_outcome outcome{std::nullopt, !exchange_->connected()};
    if (failure) {
        outcome.failure = where(zone) + *failure;
    } else if (const auto refused = update_->failure_of(response, *key_)) {
        outcome = {where(zone) + refused->reason, refused->refused};
    }
    // Answered from the loop's next turn: the next change replaces the exchange, which is still
    // in its own callback here.
    key_.reset();  // wipes the secret
    update_.reset();
    if (!outcome.failure)
        log_.debug(prefix_ + where(zone) + "done (" + record_.value + ")");
    pending_ = std::move(outcome);
    later_.start(std::chrono::milliseconds(0));
}

void dns_update_publisher::fail_later(std::string failure)
{
    pending_ = {std::move(failure), true};
    later_.start(std::chrono::milliseconds(0));
}

void dns_update_publisher::finish(dns_change_outcome outcome)
{
    key_.reset();
    update_.reset();
    exchange_.reset();
    pending_ = {};
    auto done = std::move(done_);
    done_ = nullptr;
    if (done)
        done(std::move(outcome));  // may destroy this object
}

}  // namespace lacme::master
