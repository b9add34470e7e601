// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/serving/loop_worker.hpp"

#include "common/error.hpp"
#include "common/uv/error.hpp"

#include "accountd/relay/relay_header.hpp"
#include "common/accountd_protocol.hpp"
#include "common/text.hpp"
#include "ssh/caller_identity.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace lacme::accountd {
namespace {

// Wraps an inherited fd (stdin/stdout) in the stream type libuv needs for what it is.
uv::handle_ptr<uv_stream_t> open_stream(uv_loop_t* loop, int fd, bool readable)
{
    const uv_handle_type type = uv_guess_handle(fd);
    if (type != UV_NAMED_PIPE && type != UV_TCP && type != UV_TTY)
        throw error("--stdio needs stdin and stdout to be pipes, sockets or a terminal (fd " + std::to_string(fd) +
                    ")");
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
    default: uv::check(uv_tty_init(loop, reinterpret_cast<uv_tty_t*>(handle.get()), fd, readable ? 1 : 0), what); break;
    }
    return handle;
}

// A relay peer is lacme-accountd --relay, which sends its header at once.
constexpr std::chrono::seconds relay_header_deadline{10};

}  // namespace

loop_worker::loop_worker(signing_service& service, worker_pool_state& pool)
    : service_(service), pool_(pool), own_uid_(::geteuid()), wakeup_(uv::make_handle<uv_async_t>()),
      reaper_(uv::make_handle<uv_idle_t>())
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
    signals_.emplace(loop_.get(), std::initializer_list<int>{SIGINT, SIGTERM},
                     [this, on_signal = std::move(on_signal)](int) {
                         if (!acceptors_.empty())
                             service_.log().verbose("Shutting down and closing lacme Account Key Manager");
                         if (on_signal)
                             on_signal();
                         stop();
                     });
}

void loop_worker::accept_on(std::vector<socket_binding> bindings, std::vector<loop_worker*> workers)
{
    workers_ = std::move(workers);
    bindings_ = std::move(bindings);
    for (const auto& binding : bindings_)
        acceptors_.push_back(std::make_unique<connection_acceptor>(loop_.get(), binding.listen_fd, pool_.slots,
                                                                   service_.log(), [this, b = &binding](unique_fd fd) {
                                                                       hand_on({std::move(fd), b});
                                                                   }));
}

void loop_worker::accept_on(int listen_fd, std::vector<loop_worker*> workers)
{
    accept_on({{listen_fd, {}, service_.fallback_tenant()}}, std::move(workers));
}

void loop_worker::hand_on(accepted conn)
{
    if (!conn.binding->direct && !relay_peer_allowed(conn.fd.get())) {
        pool_.slots.give_back();
        return;
    }
    loop_worker* target = workers_[next_worker_++ % workers_.size()];
    if (target == this)
        serve_accepted(std::move(conn));
    else
        target->adopt(std::move(conn));
}

// Only lacme-accountd's own processes (the --relay forced commands) may name a listener: the
// socket's mode keeps others out, this check holds even if it did not.
bool loop_worker::relay_peer_allowed(int fd)
{
    ucred peer{};
    socklen_t size = sizeof peer;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0) {
        service_.log().info(error_text(std::string("relay socket: SO_PEERCRED: ") + std::strerror(errno)));
        return false;
    }
    if (peer.uid == own_uid_)
        return true;
    service_.log().info("Refused a relay connection from uid " + std::to_string(peer.uid) + " (pid " +
                        std::to_string(peer.pid) + "): only uid " + std::to_string(own_uid_) + " may relay");
    return false;
}

void loop_worker::adopt(accepted conn)
{
    {
        const std::lock_guard lock(inbox_mutex_);
        inbox_.push_back(std::move(conn));
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
    std::vector<accepted> arrived;
    {
        const std::lock_guard lock(inbox_mutex_);
        arrived.swap(inbox_);
    }
    if (stop_requested_) {
        stop();
        return;
    }
    for (auto& conn : arrived)
        serve_accepted(std::move(conn));
}

void loop_worker::serve_accepted(accepted conn)
{
    std::string id = std::to_string(pool_.next_id++);
    const socket_binding& binding = *conn.binding;
    if (!binding.direct) {
        start_relay_handshake(std::move(id), std::move(conn.fd));
        return;
    }
    service_.log().verbose("[" + id + "] Accepted new connection" +
                           (binding.listener.empty() ? "" : " on listener " + binding.listener));
    serve_stream(id, std::move(conn.fd), *binding.direct);
}

void loop_worker::serve_stream(const std::string& id, unique_fd fd, const tenant& who, std::string_view already_read)
{
    auto client = uv::make_handle<uv_stream_t>(UV_NAMED_PIPE);
    auto* pipe = reinterpret_cast<uv_pipe_t*>(client.get());
    uv::check(uv_pipe_init(loop_.get(), pipe, 0), "uv_pipe_init");
    if (const int rc = uv_pipe_open(pipe, fd.get()); rc != 0) {
        service_.log().info("[" + id + "] " + error_text(uv_strerror(rc)));
        pool_.slots.give_back();
        return;
    }
    (void)fd.release();  // the pipe handle owns it now
    add_connection(id, who, std::move(client), nullptr, already_read);
}

void loop_worker::start_relay_handshake(std::string id, unique_fd fd)
{
    auto handshake =
        std::make_unique<relay_handshake>(loop_.get(), std::move(fd), relay_header_deadline,
                                          [this, id = std::move(id)](relay_handshake& h) { on_relay_header(id, h); });
    relay_handshake& ref = *handshake;
    handshakes_.emplace(&ref, std::move(handshake));
}

void loop_worker::on_relay_header(const std::string& id, relay_handshake& handshake)
{
    const auto it = handshakes_.find(&handshake);
    if (it == handshakes_.end())
        return;
    retired_handshakes_.push_back(std::move(it->second));
    handshakes_.erase(it);
    reap_later();
    const auto& result = handshake.result();
    if (!result.header) {
        refuse_relay(id, handshake.take_fd().get(), result.refusal);
        return;
    }
    const auto& header = *result.header;
    const auto known = pool_.relays ? pool_.relays->find(header.listener) : relay_directory::const_iterator{};
    if (!pool_.relays || known == pool_.relays->end()) {
        refuse_relay(id, handshake.take_fd().get(), "no listener " + header.listener);
        return;
    }
    tenant who = known->second;
    who.caller = ssh::describe(header.caller) + " (listener " + header.listener + ")";
    service_.log().verbose("[" + id + "] Accepted relayed connection for listener " + header.listener + " from " +
                           ssh::describe(header.caller));
    serve_stream(id, handshake.take_fd(), who, handshake.take_rest());
}

// Told to the peer as a NOSIGN line (best effort: the relay shows it to the web host), and logged.
void loop_worker::refuse_relay(const std::string& id, int fd, const std::string& reason)
{
    service_.log().info("[" + id + "] Refused relayed connection: " + printable_for_log(reason));
    const std::string line = std::string(accountd_refusal_prefix) + printable_for_log(reason) + "\n";
    (void)::send(fd, line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    pool_.slots.give_back();
}

void loop_worker::serve_stdio()
{
    stdio_ = true;
    auto in = open_stream(loop_.get(), STDIN_FILENO, true);
    auto out = open_stream(loop_.get(), STDOUT_FILENO, false);
    pool_.slots.take();
    add_connection(std::to_string(::getpid()), service_.fallback_tenant(), std::move(in), std::move(out));
}

int loop_worker::run()
{
    loop_.run();
    return exit_status_;
}

void loop_worker::add_connection(std::string id, const tenant& who, uv::handle_ptr<uv_stream_t> in,
                                 uv::handle_ptr<uv_stream_t> out, std::string_view already_read)
{
    const connection::options options{pool_.idle_timeout, read_buffer_};
    auto conn = std::make_unique<connection>(service_, who, std::move(id), std::move(in), std::move(out), options,
                                             [this](connection& c, bool refused) { retire(c, refused); });
    connection& ref = *conn;
    connections_.emplace(&ref, std::move(conn));
    ref.start(already_read);
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
    reap_later();
}

void loop_worker::reap_later()
{
    uv_idle_start(reaper_.get(), [](uv_idle_t* h) {
        auto* self = static_cast<loop_worker*>(h->data);
        uv_idle_stop(h);
        self->retired_.clear();
        self->retired_handshakes_.clear();
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
    handshakes_.clear();
    retired_handshakes_.clear();
    acceptors_.clear();
    if (signals_)
        signals_->stop();  // not reset: stop() may run inside the watcher's callback
    reaper_.reset();
    wakeup_.reset();
}

}  // namespace lacme::accountd
