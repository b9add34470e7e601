// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/serving/loop_worker.hpp"

#include "common/error.hpp"
#include "common/uv/error.hpp"

#include <unistd.h>

#include <csignal>

namespace lacme::accountd {
namespace {

// Wraps an inherited fd (stdin/stdout) in the stream type libuv needs for what it is.
uv::handle_ptr<uv_stream_t> open_stream(uv_loop_t* loop, int fd, bool readable)
{
    const uv_handle_type type = uv_guess_handle(fd);
    if (type != UV_NAMED_PIPE && type != UV_TCP && type != UV_TTY)
        throw error("--stdio needs stdin and stdout to be pipes, sockets or a terminal (fd " + std::to_string(fd) + ")");
    auto handle = uv::make_handle<uv_stream_t>(type);
    const std::string what = "opening fd " + std::to_string(fd);
    switch (type) {
    case UV_NAMED_PIPE:
        uv::check(uv_pipe_init(loop, reinterpret_cast<uv_pipe_t*>(handle.get()), 0), "uv_pipe_init");
        uv::check(uv_pipe_open(reinterpret_cast<uv_pipe_t*>(handle.get()), fd), what);
        break;
    case UV_TCP:
        uv::check(uv_tcp_init(loop, reinterpret_cast<uv_tcp_t*>(handle.get())), "uv_tcp_init");
        uv::check(uv_tcp_open(reinterpret_cast<uv_tcp_t*>(handle.get()), fd), what);
        break;
    default:
        uv::check(uv_tty_init(loop, reinterpret_cast<uv_tty_t*>(handle.get()), fd, readable ? 1 : 0), what);
        break;
    }
    return handle;
}

}  // namespace

loop_worker::loop_worker(signing_service& service, worker_pool_state& pool)
    : service_(service), pool_(pool), wakeup_(uv::make_handle<uv_async_t>()), reaper_(uv::make_handle<uv_idle_t>())
{
    uv::check(uv_async_init(loop_.get(), wakeup_.get(),
                            [](uv_async_t* h) { static_cast<loop_worker*>(h->data)->drain_inbox(); }),
              "uv_async_init");
    wakeup_->data = this;
    uv::check(uv_idle_init(loop_.get(), reaper_.get()), "uv_idle_init");
    reaper_->data = this;
}

loop_worker::~loop_worker()
{
    stop();
    // Signatures still computing on the worker pool complete before the loop goes away.
    loop_.run();
}

void loop_worker::watch_signals(std::function<void()> on_signal)
{
    signals_.emplace(loop_.get(), std::initializer_list<int>{SIGINT, SIGTERM}, [this, on_signal](int) {
        if (acceptor_)
            service_.log().verbose("Shutting down and closing lacme Account Key Manager");
        if (on_signal)
            on_signal();
        stop();
    });
}

void loop_worker::accept_on(int listen_fd, std::vector<loop_worker*> workers)
{
    workers_ = std::move(workers);
    acceptor_ = std::make_unique<connection_acceptor>(loop_.get(), listen_fd, pool_.slots, service_.log(),
                                                      [this](unique_fd fd) { hand_on(std::move(fd)); });
}
void loop_worker::hand_on(unique_fd fd)
{
    loop_worker* target = workers_[next_worker_++ % workers_.size()];
    if (target == this)
        serve_accepted(std::move(fd));
    else
        target->adopt(std::move(fd));
}

void loop_worker::adopt(unique_fd fd)
{
    {
        const std::lock_guard lock(inbox_mutex_);
        inbox_.push_back(std::move(fd));
    }
    uv_async_send(wakeup_.get());
}

void loop_worker::request_stop()
{
    stop_requested_ = true;
    uv_async_send(wakeup_.get());
}

void loop_worker::drain_inbox()
{
    std::vector<unique_fd> arrived;
    {
        const std::lock_guard lock(inbox_mutex_);
        arrived.swap(inbox_);
    }
    if (stop_requested_) {
        stop();
        return;
    }
    for (auto& fd : arrived)
        serve_accepted(std::move(fd));
}

void loop_worker::serve_accepted(unique_fd fd)
{
    const std::string id = std::to_string(pool_.next_id++);
    auto client = uv::make_handle<uv_stream_t>(UV_NAMED_PIPE);
    auto* pipe = reinterpret_cast<uv_pipe_t*>(client.get());
    uv::check(uv_pipe_init(loop_.get(), pipe, 0), "uv_pipe_init");
    if (const int rc = uv_pipe_open(pipe, fd.get()); rc != 0) {
        service_.log().info("[" + id + "] " + error_text(uv_strerror(rc)));
        pool_.slots.give_back();
        return;
    }
    (void)fd.release();  // the pipe handle owns it now
    service_.log().verbose("[" + id + "] Accepted new connection");
    add_connection(id, std::move(client), nullptr);
}

void loop_worker::serve_stdio()
{
    stdio_ = true;
    auto in = open_stream(loop_.get(), STDIN_FILENO, true);
    auto out = open_stream(loop_.get(), STDOUT_FILENO, false);
    pool_.slots.take();
    add_connection(std::to_string(::getpid()), std::move(in), std::move(out));
}

int loop_worker::run()
{
    loop_.run();
    return exit_status_;
}

void loop_worker::add_connection(std::string id, uv::handle_ptr<uv_stream_t> in, uv::handle_ptr<uv_stream_t> out)
{
    const connection::options options{pool_.idle_timeout, read_buffer_};
    auto conn = std::make_unique<connection>(service_, std::move(id), std::move(in), std::move(out), options,
                                             [this](connection& c, bool refused) { retire(c, refused); });
    connection& ref = *conn;
    connections_.emplace(&ref, std::move(conn));
    ref.start();
}

void loop_worker::retire(connection& conn, bool refused)
{
    const auto it = connections_.find(&conn);
    if (it == connections_.end())
        return;
    if (!stdio_)
        service_.log().verbose("[" + conn.id() + "] Connection terminated");
    else if (refused)
        exit_status_ = 1;
    retired_.push_back(std::move(it->second));
    connections_.erase(it);
    pool_.slots.give_back();
    uv_idle_start(reaper_.get(), [](uv_idle_t* h) {
        auto* self = static_cast<loop_worker*>(h->data);
        uv_idle_stop(h);
        self->retired_.clear();
        if (self->stdio_ && self->connections_.empty())
            self->stop();
    });
}

void loop_worker::stop()
{
    if (stopped_)
        return;
    stopped_ = true;
    for (auto& [ptr, conn] : connections_)
        conn->stop();
    connections_.clear();
    retired_.clear();
    acceptor_.reset();
    if (signals_)
        signals_->stop();  // not reset: stop() may run inside the watcher's callback
    reaper_.reset();
    wakeup_.reset();
}

}  // namespace lacme::accountd
