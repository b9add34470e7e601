#include "master/accountd_relay.hpp"

#include "common/accountd_protocol.hpp"
#include "common/error.hpp"
#include "common/fd_pair.hpp"

#include <sys/socket.h>

namespace lacme::master {
namespace {

// Bytes waiting to go out on one stream: a client's answers, or the requests of every client to
// accountd (which answers one at a time). Far above what an honest client queues.
constexpr std::size_t max_queued = 1024 * 1024;

}  // namespace

accountd_relay::accountd_relay(uv_loop_t* loop, unique_fd upstream, log_fn debug_log)
    : upstream_(uv::stream::open(loop, std::move(upstream), max_queued)),
      upstream_lines_(accountd_max_line),
      loop_(loop),
      debug_log_(std::move(debug_log))
{
    // The clients' exit watches keep the loop running; the relay only serves them.
    upstream_.unref();
    upstream_.on_write_done({}, [this](int status) { fail(std::string("write to accountd: ") + uv_strerror(status)); });
    if (const int status = upstream_.start_reading([this](std::string_view bytes) { on_upstream_data(bytes); },
                                                   [this](int status) { on_upstream_end(status); }))
        on_upstream_end(status);
}

unique_fd accountd_relay::attach_client()
{
    auto [ours, theirs] = make_socket_pair();
    const std::uint64_t id = next_id_++;
    if (failure_)
        return std::move(theirs);  // ours closes here: the client reads EOF and reports that accountd is gone
    auto [it, inserted] =
        peers_.emplace(id, peer{uv::stream::open(loop_, std::move(ours), max_queued), line_buffer(accountd_max_line)});
    auto& stream = it->second.stream;
    stream.unref();
    stream.on_write_done({}, [this, id](int) { drop_peer(id); });
    if (stream.start_reading([this, id](std::string_view bytes) { on_peer_data(id, bytes); },
                             [this, id](int) { drop_peer(id); }) != 0) {
        drop_peer(id);
        return std::move(theirs);
    }
    greet(it->second);
    return std::move(theirs);
}

void accountd_relay::greet(peer& p) const
{
    // A peer that cannot take the greeting fails on its own when it reads nothing.
    if (greeting_)
        (void)p.stream.write(*greeting_);
}

void accountd_relay::on_upstream_data(std::string_view bytes)
{
    upstream_lines_.append(bytes);
    while (auto line = upstream_lines_.next()) {
        std::string framed = line->text + (line->bare_newline ? "\n" : "\r\n");
        if (!greeting_) {
            partial_greeting_ += framed;
            if (++greeting_lines_ == 2) {
                greeting_ = std::move(partial_greeting_);
                for (auto& [id, p] : peers_)
                    greet(p);
            }
            continue;
        }
        if (in_flight_.empty())
            return fail("accountd sent an answer nobody asked for");
        const std::uint64_t id = in_flight_.front();
        in_flight_.pop_front();
        if (const auto it = peers_.find(id); it != peers_.end() && !it->second.stream.write(std::move(framed)))
            drop_peer(id);
    }
    if (upstream_lines_.overflowed())
        fail("accountd sent an overlong line");
}

void accountd_relay::on_upstream_end(int status)
{
    fail(status == 0 ? "accountd closed the connection" : std::string("read from accountd: ") + uv_strerror(status));
}

void accountd_relay::on_peer_data(std::uint64_t id, std::string_view bytes)
{
    const auto it = peers_.find(id);
    if (it == peers_.end())
        return;
    auto& p = it->second;
    p.lines.append(bytes);
    while (auto line = p.lines.next()) {
        if (failure_)
            return drop_peer(id);
        if (!upstream_.write(line->text + (line->bare_newline ? "\n" : "\r\n")))
            return drop_peer(id);  // more unanswered requests than any honest client sends
        in_flight_.push_back(id);
        ++relayed_;
    }
    if (p.lines.overflowed())
        drop_peer(id);
}

void accountd_relay::drop_peer(std::uint64_t id)
{
    // Its answers still in flight are discarded when they arrive (their id is gone).
    peers_.erase(id);
}

void accountd_relay::fail(std::string reason)
{
    if (failure_)
        return;
    debug_log_(reason);
    failure_ = std::move(reason);
    upstream_.end();
    peers_.clear();  // every client sees EOF and reports that accountd went away
    in_flight_.clear();
}

}  // namespace lacme::master
