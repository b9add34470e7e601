// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/accountd_relay.hpp"

#include "common/accountd_protocol.hpp"
#include "common/dns01_protocol.hpp"
#include "common/error.hpp"
#include "common/fd_pair.hpp"
#include "common/uv/error.hpp"

#include <signal.h>

namespace lacme::master {
namespace {

// Bytes of requests sent and not answered yet, and of a client's answers not yet written: far
// above what honest clients queue (each waits for its answer before its next request).
constexpr std::size_t max_queued = std::size_t{1024} * 1024;

std::string_view without_line_end(std::string_view line)
{
    if (line.ends_with('\n'))
        line.remove_suffix(1);
    if (line.ends_with('\r'))
        line.remove_suffix(1);
    return line;
}

// The account key a greeting (both lines, as received) announces; nullopt if it is malformed.
std::optional<accountd_greeting> greeted_key(std::string_view greeting)
{
    const std::size_t first_end = greeting.find('\n') + 1;
    try {
        return parse_accountd_greeting(without_line_end(greeting.substr(0, first_end)),
                                       without_line_end(greeting.substr(first_end)));
    } catch (const error&) {
        return std::nullopt;
    }
}

// Perl's accountd orders the members of its greeting differently on each start: compare keys.
bool same_account_key(std::string_view greeting, std::string_view other)
{
    if (greeting == other)
        return true;
    const auto a = greeted_key(greeting);
    const auto b = greeted_key(other);
    return a && b && a->alg == b->alg && a->jwk_thumbprint == b->jwk_thumbprint && a->kid == b->kid && a->jwk == b->jwk;
}

std::string framed(const line_buffer::line& line)
{
    return line.text + (line.bare_newline ? "\n" : "\r\n");
}

}  // namespace

accountd_relay::accountd_relay(uv_loop_t* loop, link_opener opener, std::chrono::seconds answer_timeout,
                               log_fn debug_log)
    : loop_(loop), open_link_(std::move(opener)), answer_timeout_(answer_timeout), debug_log_(std::move(debug_log)),
      upstream_lines_(accountd_max_line), answer_timer_(loop, [this] { on_timeout(); })
{
    // The clients' exit watches keep the loop running; the relay only serves them.
    answer_timer_.unref();
    open_link();
}

accountd_relay::client_end accountd_relay::attach_client(master_requests requests)
{
    socket_pair pair = make_socket_pair();  // no structured binding: clang-analyzer 14 loses track of its members
    const std::uint64_t id = next_id_++;
    if (failure_) {
        client_failures_.emplace(id, *failure_);
        return {std::move(pair.theirs), id};  // ours closes here: the client reads EOF
    }
    auto [it, inserted] = peers_.emplace(id, peer{uv::stream::open(loop_, std::move(pair.ours), max_queued),
                                                  line_buffer(accountd_max_line), std::move(requests)});
    auto& stream = it->second.stream;
    stream.unref();
    stream.on_write_done({}, [this, id](int) { drop_peer(id); });
    if (stream.start_reading([this, id](std::string_view bytes) { on_peer_data(id, bytes); },
                             [this, id](int) { drop_peer(id); }) != 0) {
        drop_peer(id);
        return {std::move(pair.theirs), id};
    }
    greet(it->second);
    if (!greeting_ && !upstream_)
        reopen_if_needed();  // the links so far died before greeting anyone
    return {std::move(pair.theirs), id};
}

std::optional<std::string> accountd_relay::failure_of(std::uint64_t client) const
{
    const auto it = client_failures_.find(client);
    if (it == client_failures_.end())
        return std::nullopt;
    return it->second;
}

std::optional<std::string> accountd_relay::take_failure_of(std::uint64_t client)
{
    auto failure = failure_of(client);
    client_failures_.erase(client);
    return failure;
}

void accountd_relay::close(std::chrono::milliseconds grace)
{
    retire_link();
    end_peers();
    in_flight_.clear();
    in_flight_bytes_ = 0;
    for (auto& child : retired_children_) {
        const int status = child.reap_within(grace);
        if (!exited_successfully(status))
            debug_log_("lacme-accountd " + describe_wait_status(status));
    }
    retired_children_.clear();
}

void accountd_relay::open_link()
{
    accountd_link link = open_link_();
    ++links_opened_;
    upstream_child_ = std::move(link.child);
    upstream_ = uv::stream::open(loop_, std::move(link.connection), max_queued);
    upstream_->unref();
    // A write error is followed by the read side's end (a refusal's line may still be there to read).
    upstream_->on_write_done({}, [this](int status) { debug_log_(std::string("write: ") + uv_strerror(status)); });
    upstream_lines_ = line_buffer(accountd_max_line);
    partial_greeting_.clear();
    greeting_lines_ = 0;
    if (const int status = upstream_->start_reading([this](std::string_view bytes) { on_upstream_data(bytes); },
                                                    [this](int status) { on_upstream_end(status); }))
        throw error(std::string("reading from lacme-accountd: ") + uv_strerror(status));
    // in_flight_bytes_ bounds these to what a new stream's queue takes.
    for (const auto& r : in_flight_)
        (void)upstream_->write(r.line);
    arm_timer();
}

void accountd_relay::retire_link()
{
    answer_timer_.stop();
    if (upstream_)
        upstream_->close();  // our end closes now: accountd reads EOF
    upstream_.reset();
    if (upstream_child_)
        retired_children_.push_back(std::move(*upstream_child_));
    upstream_child_.reset();
}

void accountd_relay::reopen_if_needed()
{
    // Nothing waits: the next request opens a link.
    if (in_flight_.empty() && (greeting_ || peers_.empty()))
        return;
    try {
        open_link();
    } catch (const error& e) {
        fail(e.what());
    }
}

bool accountd_relay::awaiting_answer() const noexcept
{
    return upstream_ && (greeting_lines_ < 2 || !in_flight_.empty());
}

// Runs while an answer is due, from the link's opening or its last line: each signature gets
// the whole timeout, whatever waits behind it.
void accountd_relay::arm_timer()
{
    if (!awaiting_answer()) {
        answer_timer_.stop();
        return;
    }
    if (!answer_timer_.active())
        answer_timer_.start(answer_timeout_);
}

void accountd_relay::on_upstream_data(std::string_view bytes)
{
    upstream_lines_.append(bytes);
    while (auto line = upstream_lines_.next()) {
        answer_timer_.stop();
        if (greeting_lines_ < 2) {
            if (!take_greeting_line(framed(*line)))
                return;
            continue;
        }
        if (in_flight_.empty())
            return fail("accountd sent an answer nobody asked for");
        const request answered = std::move(in_flight_.front());
        in_flight_.pop_front();
        in_flight_bytes_ -= answered.line.size();
        auto refusal = accountd_refusal_error(line->text);
        answer(answered.client, framed(*line));
        if (refusal)
            return on_refusal(answered.client, std::move(*refusal));
    }
    if (upstream_lines_.overflowed())
        return fail("accountd sent an overlong line");
    arm_timer();
}

bool accountd_relay::take_greeting_line(std::string_view framed)
{
    partial_greeting_ += framed;
    if (++greeting_lines_ < 2)
        return true;
    if (!greeting_) {
        greeting_ = std::move(partial_greeting_);
        for (auto& [id, p] : peers_)
            greet(p);
        return true;
    }
    if (same_account_key(*greeting_, partial_greeting_))
        return true;  // the clients have the first link's greeting already
    fail("lacme-accountd greeted with another account key on its new connection");
    return false;
}

void accountd_relay::on_upstream_end(int status)
{
    const std::string how = status == 0 ? "closed the connection" : uv_strerror(status);
    if (awaiting_answer())
        return link_died("lacme-accountd went away (" + how + ")");
    debug_log_(how + " while nothing was asked");  // its idle timeout, say
    retire_link();
}

void accountd_relay::on_timeout()
{
    // Frozen, or behind a dropped SSH connection: nothing else ends that process.
    if (upstream_child_)
        upstream_child_->signal(SIGKILL);
    link_died("lacme-accountd did not answer in " + std::to_string(answer_timeout_.count()) + " s");
}

void accountd_relay::on_refusal(std::uint64_t client, std::string refusal)
{
    // The refused client has its answer; accountd closes the link after a refusal.
    debug_log_(refusal);
    client_failures_[client] = std::move(refusal);
    retire_link();
    reopen_if_needed();
}

void accountd_relay::link_died(const std::string& reason)
{
    retire_link();
    if (!in_flight_.empty())
        fail_client(in_flight_.front().client, reason);  // the request accountd was answering
    if (dead_link_reopened_)
        return fail(reason);
    dead_link_reopened_ = true;
    debug_log_(reason + "; opening a new link for the other clients");
    reopen_if_needed();
}

void accountd_relay::on_peer_data(std::uint64_t id, std::string_view bytes)
{
    const auto it = peers_.find(id);
    if (it == peers_.end())
        return;
    auto& p = it->second;
    p.lines.append(bytes);
    while (auto line = p.lines.next()) {
        if (is_dns01_line(line->text)) {
            on_master_request(id, p, line->text);
            if (peers_.find(id) == peers_.end())
                return;
            continue;
        }
        std::string request_line = framed(*line);
        if (in_flight_bytes_ + request_line.size() > max_queued)
            return drop_peer(id);  // more unanswered requests than any honest client sends
        in_flight_bytes_ += request_line.size();
        in_flight_.push_back({id, request_line});
        ++relayed_;
        if (upstream_) {
            if (!upstream_->write(std::move(request_line)))
                return link_died("lacme-accountd went away (write refused)");
        } else {
            reopen_if_needed();  // sends it with the others waiting
            if (failure_)
                return;  // every peer is gone
        }
        arm_timer();
    }
    if (p.lines.overflowed())
        drop_peer(id);
}

void accountd_relay::on_master_request(std::uint64_t id, peer& p, std::string_view line)
{
    auto reply = [this, id](std::string answer_line) { answer(id, std::move(answer_line) + "\r\n"); };
    if (!p.requests.on_request)
        return reply(dns01_failed_answer("this run did not ask for dns-01"));
    p.requests.on_request(line, std::move(reply));
}

void accountd_relay::end_peers()
{
    auto peers = std::move(peers_);
    peers_.clear();
    for (auto& [id, p] : peers)
        if (p.requests.on_end)
            p.requests.on_end();
}

void accountd_relay::answer(std::uint64_t id, std::string framed)
{
    if (const auto it = peers_.find(id); it != peers_.end() && !it->second.stream.write(std::move(framed)))
        drop_peer(id);
}

void accountd_relay::drop_peer(std::uint64_t id)
{
    // Its answers still in flight are discarded when they arrive (their id is gone).
    const auto it = peers_.find(id);
    if (it == peers_.end())
        return;
    const auto on_end = std::move(it->second.requests.on_end);
    peers_.erase(it);
    if (on_end)
        on_end();
}

void accountd_relay::fail_client(std::uint64_t id, const std::string& reason)
{
    client_failures_.emplace(id, reason);
    std::erase_if(in_flight_, [&](const request& r) {
        if (r.client == id)
            in_flight_bytes_ -= r.line.size();
        return r.client == id;
    });
    drop_peer(id);  // it reads EOF
}

void accountd_relay::fail(std::string reason)
{
    if (failure_)
        return;
    debug_log_(reason);
    retire_link();
    for (const auto& [id, p] : peers_)
        client_failures_.emplace(id, reason);  // a refusal recorded earlier stays
    failure_ = std::move(reason);
    end_peers();  // every client reads EOF
    in_flight_.clear();
    in_flight_bytes_ = 0;
}

void accountd_relay::greet(peer& p) const
{
    // A peer that cannot take the greeting fails on its own when it reads nothing.
    if (greeting_)
        (void)p.stream.write(*greeting_);
}

}  // namespace lacme::master
