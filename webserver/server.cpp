// SPDX-License-Identifier: GPL-3.0-or-later
#include "webserver/server.hpp"

#include "common/unique_fd.hpp"
#include "common/uv/error.hpp"
#include "webserver/socket_stream.hpp"

#include <chrono>
#include <string>

namespace lacme::web {

server::server(uv_loop_t* loop, int listen_fd, socket_kind kind, const server_config& cfg)
    : loop_(loop), kind_(kind), cfg_(cfg), log_(cfg_.debug ? log_level::debug : log_level::info)
{
    log_.set_rate_limit(1, std::chrono::seconds(1));
    unique_fd fd(listen_fd);  // ours until the listener adopts it
    listener_ = make_socket_stream(loop_, kind_);
    listener_->data = this;
    uv::check(kind_ == socket_kind::tcp ? uv_tcp_open(as_tcp(listener_.get()), fd.get())
                                        : uv_pipe_open(reinterpret_cast<uv_pipe_t*>(listener_.get()), fd.get()),
              "listening socket");
    (void)fd.release();
    sweep_.emplace(loop_, [this] { sweep(); });
}

server::~server()
{
    stop();
    // Closing connections wait for libuv to be done with their handles (writes in flight point
    // into them): one more round of the loop runs those close callbacks.
    while (!closing_.empty())
        uv_run(loop_, UV_RUN_NOWAIT);
}

void server::start()
{
    // Responses are whole writes: never let Nagle hold one back waiting for an ACK. Accepted
    // sockets inherit the option on Linux, which saves a setsockopt per connection.
    if (kind_ == socket_kind::tcp)
        uv::check(uv_tcp_nodelay(as_tcp(listener_.get()), 1), "TCP_NODELAY");
    // The master listened with a backlog of 5; raise it so bursts wait in the kernel, not fail.
    uv::check(uv_listen(listener_.get(), cfg_.backlog,
                        [](uv_stream_t* listener, int status) {
                            auto* self = static_cast<server*>(listener->data);
                            if (status < 0)  // EMFILE and friends: libuv already dropped it
                                self->log_.log_limited(log_level::info, "accept",
                                                       std::string("accept: ") + uv_strerror(status));
                            else
                                self->accept_connection();
                        }),
              "listen");
}

void server::stop()
{
    if (stopping_)
        return;
    stopping_ = true;
    sweep_.reset();
    listener_.reset();
    while (!active_.empty())
        active_.front().close();  // moves it to closing_
}

void server::accept_connection()
{
    if (stopping_)
        return;
    bool over = active_.size() >= cfg_.max_connections;
    if (over && evict_idle())
        over = false;
    // The sweep only runs while there are connections: an idle server sleeps in epoll_wait.
    if (!sweep_->active()) {
        const std::chrono::milliseconds interval(cfg_.sweep_interval_ms);
        sweep_->start(interval, interval);
    }
    connection_owner& owner = *this;  // the private base: only connections get this view
    connection& c = active_.emplace_back(*this, owner, kind_);
    c.accept_from(listener_.get(), std::prev(active_.end()));
    if (over)
        c.close();  // every slot is busy writing: refuse the newcomer rather than grow
}

bool server::evict_idle()
{
    for (connection& c : active_) {
        if (c.current_phase() != connection::phase::writing) {
            c.close();
            return true;
        }
    }
    return false;
}

void server::sweep()
{
    const std::uint64_t now = uv_now(loop_);
    for (auto it = active_.begin(); it != active_.end();) {
        connection& c = *it++;  // close() moves c to closing_
        if (c.deadline() > now)
            continue;
        if (c.current_phase() == connection::phase::reading)
            c.close();  // nothing of ours in flight
        else
            c.abort();
    }
    if (active_.empty())
        sweep_->stop();
}

void server::touch(connection_position c)
{
    if (std::next(c) != active_.end())
        active_.splice(active_.end(), active_, c);
}

void server::retire(connection_position c)
{
    closing_.splice(closing_.end(), active_, c);
}

void server::release(connection_position c)
{
    closing_.erase(c);
}

std::string_view server::http_date()
{
    const std::time_t t = std::time(nullptr);
    if (t != date_second_) {
        std::tm tm{};
        if (::gmtime_r(&t, &tm) != nullptr) {
            date_len_ = std::strftime(date_.data(), date_.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
            date_second_ = t;
        } else {
            date_len_ = 0;
        }
    }
    return {date_.data(), date_len_};
}

}  // namespace lacme::web
