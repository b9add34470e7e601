#include "webserver/server.hpp"

#include "webserver/error.hpp"

#include <unistd.h>

#include <cerrno>
#include <string>

namespace lacme::web {

server::server(uv_loop_t* loop, int listen_fd, socket_kind kind, server_config cfg)
    : loop_(loop), kind_(kind), cfg_(cfg)
{
    int rc = 0;
    if (kind_ == socket_kind::tcp) {
        if ((rc = uv_tcp_init(loop_, &listener_.tcp)) != 0)
            throw_uv("uv_tcp_init", rc);
    } else {
        if ((rc = uv_pipe_init(loop_, &listener_.pipe, 0)) != 0)
            throw_uv("uv_pipe_init", rc);
    }
    listener_.handle.data = this;
    ++open_handles_;
    rc = kind_ == socket_kind::tcp ? uv_tcp_open(&listener_.tcp, listen_fd) : uv_pipe_open(&listener_.pipe, listen_fd);
    if (rc != 0)
        ::close(listen_fd);  // not adopted by the handle, but ours all the same
    if (rc == 0) {
        rc = uv_timer_init(loop_, &sweep_);
        if (rc == 0) {
            sweep_.data = this;
            sweep_open_ = true;
            ++open_handles_;
        }
    }
    if (rc != 0) {
        stop();
        while (open_handles_ > 0)
            uv_run(loop_, UV_RUN_ONCE);
        throw_uv("listening socket", rc);
    }
}

server::~server()
{
    // Normally stop() ran and the loop drained; if not (exception unwinding), finish here so no
    // libuv callback ever sees a destroyed server.
    if (!stopping_)
        stop();
    while (open_handles_ > 0 || !closing_.empty())
        uv_run(loop_, UV_RUN_ONCE);
}

void server::start()
{
    // Responses are whole writes: never let Nagle hold one back waiting for an ACK. Accepted
    // sockets inherit the option on Linux, which saves a setsockopt per connection.
    if (kind_ == socket_kind::tcp) {
        if (const int rc = uv_tcp_nodelay(&listener_.tcp, 1); rc != 0)
            throw_uv("TCP_NODELAY", rc);
    }
    // The master listened with a backlog of 5; raise it so bursts wait in the kernel, not fail.
    int rc = uv_listen(&listener_.stream, cfg_.backlog, on_connection);
    if (rc != 0)
        throw_uv("listen", rc);
}

void server::stop()
{
    if (stopping_)
        return;
    stopping_ = true;
    if (sweep_open_)
        uv_close(reinterpret_cast<uv_handle_t*>(&sweep_), on_handle_closed);
    uv_close(&listener_.handle, on_handle_closed);
    while (!active_.empty())
        active_.front().close();  // moves it to closing_
}

void server::on_handle_closed(uv_handle_t* handle)
{
    static_cast<server*>(handle->data)->open_handles_--;
}

void server::on_connection(uv_stream_t* listener, int status)
{
    auto* self = static_cast<server*>(listener->data);
    if (status < 0) {
        // EMFILE and friends: libuv already dropped the pending connection.
        self->log_problem(std::string("accept: ") + uv_strerror(status));
        return;
    }
    if (self->stopping_)
        return;
    bool over = self->active_.size() >= self->cfg_.max_connections;
    if (over && self->evict_idle())
        over = false;
    // The sweep only runs while there are connections: an idle server sleeps in epoll_wait.
    // uv_timer_start fails only on a closing handle, and we are not stopping.
    if (!uv_is_active(reinterpret_cast<uv_handle_t*>(&self->sweep_)))
        (void)uv_timer_start(&self->sweep_, on_sweep, self->cfg_.sweep_interval_ms, self->cfg_.sweep_interval_ms);
    connection& c = self->active_.emplace_back(*self, self->kind_);
    c.self = std::prev(self->active_.end());
    c.accept_from(listener);
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

void server::on_sweep(uv_timer_t* timer)
{
    auto* self = static_cast<server*>(timer->data);
    const std::uint64_t now = uv_now(self->loop_);
    for (auto it = self->active_.begin(); it != self->active_.end();) {
        connection& c = *it++;  // close() moves c to closing_
        if (c.deadline() > now)
            continue;
        if (c.current_phase() == connection::phase::reading)
            c.close();  // nothing of ours in flight
        else
            c.abort();
    }
    if (self->active_.empty())
        (void)uv_timer_stop(timer);
}

void server::touch(connection& c)
{
    if (std::next(c.self) != active_.end())
        active_.splice(active_.end(), active_, c.self);
}

void server::retire(connection& c)
{
    closing_.splice(closing_.end(), active_, c.self);
}

void server::unretire(connection& c)
{
    active_.splice(active_.end(), closing_, c.self);
}

void server::release(connection& c)
{
    closing_.erase(c.self);
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

void server::log_problem(std::string_view message)
{
    const std::uint64_t now = uv_now(loop_);
    if (now < next_problem_log_) {
        ++suppressed_problems_;
        return;
    }
    next_problem_log_ = now + 1000;
    if (suppressed_problems_ == 0) {
        log(message);
        return;
    }
    log(std::string(message) + " (" + std::to_string(suppressed_problems_) + " similar lines suppressed)");
    suppressed_problems_ = 0;
}

void server::log(std::string_view message) const
{
    // One write(2) per line so concurrent writers to the same stderr never interleave mid-line.
    std::string line = "[" + std::to_string(::getpid()) + "] ";
    line.append(message);
    line.push_back('\n');
    std::string_view rest = line;
    while (!rest.empty()) {
        const ssize_t n = ::write(STDERR_FILENO, rest.data(), rest.size());
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            return;  // nowhere left to report a logging failure
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace lacme::web
