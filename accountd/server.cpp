#include "accountd/server.hpp"

#include "common/error.hpp"

#include <unistd.h>

#include <csignal>

namespace lacme::accountd {
namespace {

// More peers than this at once is a misbehaving client, not ACME traffic.
constexpr std::size_t max_connections = 512;

void check_uv(int rc, std::string_view what)
{
    if (rc != 0)
        throw error(std::string(what) + ": " + uv_strerror(rc));
}

// Wraps an inherited fd (stdin/stdout) in the stream type libuv needs for what it is.
uv_handle_ptr<uv_any_handle> open_stream(uv_loop_t* loop, int fd, bool readable)
{
    const uv_handle_type type = uv_guess_handle(fd);
    if (type != UV_NAMED_PIPE && type != UV_TCP && type != UV_TTY)
        throw error("--stdio needs stdin and stdout to be pipes, sockets or a terminal (fd " + std::to_string(fd) + ")");
    auto handle = make_uv_handle<uv_any_handle>();
    switch (type) {
    case UV_NAMED_PIPE:
        check_uv(uv_pipe_init(loop, &handle->pipe, 0), "uv_pipe_init");
        check_uv(uv_pipe_open(&handle->pipe, fd), "opening fd " + std::to_string(fd));
        break;
    case UV_TCP:
        check_uv(uv_tcp_init(loop, &handle->tcp), "uv_tcp_init");
        check_uv(uv_tcp_open(&handle->tcp, fd), "opening fd " + std::to_string(fd));
        break;
    default:
        check_uv(uv_tty_init(loop, &handle->tty, fd, readable ? 1 : 0), "opening tty fd " + std::to_string(fd));
        break;
    }
    return handle;
}

}  // namespace

server::server(signing_service& service) : service_(service)
{
    check_uv(uv_loop_init(&loop_), "uv_loop_init");
}

server::~server()
{
    connections_.clear();
    retired_.clear();
    listener_.reset();
    signals_.clear();
    reaper_.reset();
    // Let close callbacks run so every handle is freed before the loop goes away.
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
}

void server::watch_signals()
{
    for (const int signum : {SIGINT, SIGTERM}) {
        auto handle = make_uv_handle<uv_signal_t>();
        check_uv(uv_signal_init(&loop_, handle.get()), "uv_signal_init");
        handle->data = this;
        check_uv(uv_signal_start(handle.get(), [](uv_signal_t* h, int) { static_cast<server*>(h->data)->shut_down(); },
                                 signum),
                 "uv_signal_start");
        signals_.push_back(std::move(handle));
    }
    reaper_ = make_uv_handle<uv_idle_t>();
    check_uv(uv_idle_init(&loop_, reaper_.get()), "uv_idle_init");
    reaper_->data = this;
}

int server::serve_socket(socket_listener& listener)
{
    watch_signals();
    listener_ = make_uv_handle<uv_pipe_t>();
    check_uv(uv_pipe_init(&loop_, listener_.get(), 0), "uv_pipe_init");
    listener_->data = this;
    check_uv(uv_pipe_open(listener_.get(), listener.release_fd()), "uv_pipe_open");
    check_uv(uv_listen(reinterpret_cast<uv_stream_t*>(listener_.get()), 64,
                       [](uv_stream_t* s, int status) {
                           auto* self = static_cast<server*>(s->data);
                           if (status != 0)
                               self->service_.log().info(std::string("Error: accept: ") + uv_strerror(status));
                           else
                               self->accept_connection();
                       }),
             "listen");
    service_.log().verbose("Starting lacme Account Key Manager at " + listener.path());
    return run();
}

int server::serve_stdio()
{
    stdio_ = true;
    watch_signals();
    auto in = open_stream(&loop_, STDIN_FILENO, true);
    auto out = open_stream(&loop_, STDOUT_FILENO, false);
    add_connection(std::to_string(::getpid()), std::move(in), std::move(out));
    return run();
}

int server::run()
{
    check_uv(uv_run(&loop_, UV_RUN_DEFAULT), "event loop");
    return exit_status_;
}

void server::accept_connection()
{
    auto client = make_uv_handle<uv_any_handle>();
    check_uv(uv_pipe_init(&loop_, &client->pipe, 0), "uv_pipe_init");
    if (const int rc = uv_accept(reinterpret_cast<uv_stream_t*>(listener_.get()), as_stream(client.get())); rc != 0) {
        service_.log().info(std::string("Error: accept: ") + uv_strerror(rc));
        return;
    }
    const std::string id = std::to_string(accepted_++);
    if (connections_.size() >= max_connections) {
        service_.log().info("[" + id + "] Refusing connection: " + std::to_string(max_connections) +
                            " connections already open");
        return;  // client's destructor closes it
    }
    service_.log().verbose("[" + id + "] Accepted new connection");
    add_connection(id, std::move(client), nullptr);
}

void server::add_connection(std::string id, uv_handle_ptr<uv_any_handle> in, uv_handle_ptr<uv_any_handle> out)
{
    auto conn = std::make_unique<connection>(service_, std::move(id), std::move(in), std::move(out),
                                             [this](connection& c, bool refused) { retire(c, refused); });
    connection& ref = *conn;
    connections_.emplace(&ref, std::move(conn));
    ref.start();
}

void server::retire(connection& conn, bool refused)
{
    const auto it = connections_.find(&conn);
    if (it == connections_.end())
        return;
    if (!stdio_)
        service_.log().verbose("[" + conn.id() + "] Connection terminated");
    if (refused)
        exit_status_ = stdio_ ? 1 : exit_status_;
    retired_.push_back(std::move(it->second));
    connections_.erase(it);
    uv_idle_start(reaper_.get(), [](uv_idle_t* h) {
        auto* self = static_cast<server*>(h->data);
        uv_idle_stop(h);
        self->retired_.clear();
        if (self->stdio_ && self->connections_.empty())
            self->shut_down();
    });
}

void server::shut_down()
{
    if (shutting_down_)
        return;
    shutting_down_ = true;
    if (listener_)
        service_.log().verbose("Shutting down and closing lacme Account Key Manager");
    for (auto& [ptr, conn] : connections_)
        conn->stop();
    connections_.clear();
    retired_.clear();
    listener_.reset();
    signals_.clear();
    reaper_.reset();
}

}  // namespace lacme::accountd
