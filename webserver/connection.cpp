// SPDX-License-Identifier: GPL-3.0-or-later
#include "webserver/connection.hpp"

#include "webserver/challenge_file.hpp"
#include "webserver/challenge_route.hpp"
#include "webserver/http_response.hpp"
#include "webserver/server.hpp"
#include "webserver/socket_stream.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <span>
#include <string>

namespace lacme::web {

namespace {

// Bytes of responses batched before we stop answering pipelined requests until they are sent,
// and bytes of further requests buffered meanwhile before we stop reading: memory per
// connection stays bounded whatever the peer sends.
constexpr std::size_t max_batched_output = std::size_t{64} * 1024;
constexpr std::size_t max_pending_input = std::size_t{16} * 1024;
// One write at a time, of what process() batched: at most max_batched_output plus one response.
constexpr std::size_t max_response_head = 1024;

std::string peer_name(uv_stream_t* stream, socket_kind kind)
{
    if (kind == socket_kind::unix_stream)
        return "unix";
    if (stream == nullptr)
        return "?";
    sockaddr_storage addr{};
    int len = sizeof addr;
    if (uv_tcp_getpeername(as_tcp(stream), reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        return "?";
    std::array<char, 64> buf{};
    const int rc = addr.ss_family == AF_INET6
                       ? uv_ip6_name(reinterpret_cast<const sockaddr_in6*>(&addr), buf.data(), buf.size())
                       : uv_ip4_name(reinterpret_cast<const sockaddr_in*>(&addr), buf.data(), buf.size());
    return rc == 0 ? std::string(buf.data()) : std::string("?");
}

}  // namespace

connection::connection(server& srv, connection_owner& owner, socket_kind kind)
    : srv_(srv), owner_(owner), kind_(kind), parser_(srv.config().max_head)
{}

void connection::accept_from(uv_stream_t* listener, connection_position position)
{
    position_ = position;
    // Every failure from here on goes through close(), which has the owner release us.
    stream_.emplace(make_socket_stream(srv_.loop(), kind_),
                    max_batched_output + srv_.config().max_challenge_size + max_response_head);
    stream_->on_write_done(
        [this] {
            if (phase_ != phase::closing)
                after_write();
        },
        [this](int) { close(); });
    deadline_ = srv_.now() + srv_.config().header_timeout_ms;
    if (uv_accept(listener, stream_->handle()) != 0) {
        close();
        return;
    }
    // The request usually arrives with or right after the handshake: read it now, before
    // registering with epoll, and a connection-per-request client costs one loop round and an
    // epoll_ctl less. libuv is not reading this stream yet, so reading its fd directly is safe.
    uv_os_fd_t fd = -1;
    if (uv_fileno(uv::as_handle(stream_->handle()), &fd) == 0) {
        const std::span<char> buf = srv_.read_buffer();
        const ssize_t n = ::read(fd, buf.data(), buf.size());  // non-blocking: libuv accepted it so
        if (n > 0) {
            handle_data({buf.data(), static_cast<std::size_t>(n)});
        } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            close();  // gone already
            return;
        }
    }
    if (phase_ == phase::reading)
        start_reading();
}

void connection::start_reading()
{
    if (reading_)
        return;
    if (stream_->start_reading([this](std::string_view data) { handle_data(data); },
                               [this](int status) { on_read_end(status); }, srv_.read_buffer()) != 0) {
        close();
        return;
    }
    reading_ = true;
}

void connection::close()
{
    if (phase_ == phase::closing)
        return;
    stream_->close([this] { on_closed(); });
    start_closing();
}

void connection::abort()
{
    if (phase_ == phase::closing)
        return;
    // Refused while our shutdown request is still queued: then a plain close will do.
    if (kind_ != socket_kind::tcp || !stream_->reset([this] { on_closed(); })) {
        close();
        return;
    }
    start_closing();
}

void connection::start_closing()
{
    phase_ = phase::closing;
    owner_.retire(position_);
}

void connection::on_closed()
{
    owner_.release(position_);  // destroys *this
}

void connection::on_read_end(int status)
{
    if (phase_ == phase::closing)
        return;
    reading_ = false;  // the stream stops reading at end of stream and on errors
    if (status == 0 && phase_ == phase::writing) {
        // Half-closed peer still gets what it asked for, pipelined requests included.
        peer_eof_ = true;
        return;
    }
    close();
}

void connection::handle_data(std::string_view data)
{
    switch (phase_) {
    case phase::reading:
        owner_.touch(position_);
        process(data);
        break;
    case phase::writing:
        if (close_after_write_) {
            linger_ = true;  // nothing after this response will be answered, yet more comes
            break;
        }
        pending_.append(data);
        if (pending_.size() > max_pending_input) {
            stream_->stop_reading();
            reading_ = false;
        }
        break;
    case phase::lingering:
    case phase::closing: break;  // discarded: we only wait for the peer's FIN
    }
}

void connection::process(std::string_view data)
{
    while (!data.empty()) {
        const auto r = parser_.feed(data);
        data.remove_prefix(r.consumed);
        if (r.st == http_request_parser::state::incomplete)
            break;
        if (r.st == http_request_parser::state::error) {
            answer_error(parser_.error_status(), parser_.error_reason());
            close_after_write_ = true;
            linger_ = true;  // the rest of what the peer sends is unparsed and unread
            break;
        }
        const http_request& req = parser_.request();
        ++requests_;
        // A body we would have to skip is not worth the bookkeeping: answer and close.
        const bool keep_alive = req.keep_alive && !req.has_body && !srv_.stopping() &&
                                requests_ < srv_.config().max_requests_per_connection;
        answer(req, keep_alive);
        parser_.reset();
        if (!keep_alive || close_after_write_) {
            close_after_write_ = true;
            linger_ = req.has_body || !data.empty();
            break;
        }
        if (out_.size() >= max_batched_output) {
            pending_.assign(data);  // resumed after this batch is written
            break;
        }
    }
    if (!out_.empty())
        flush();
}

void connection::answer(const http_request& req, bool keep_alive)
{
    const challenge_route route = route_request(req.method, req.target);
    http_response resp;
    resp.keep_alive = keep_alive;
    resp.http10_keep_alive = keep_alive && req.version_minor == 0;
    resp.date = srv_.http_date();
    challenge_file file;
    switch (route.what) {
    case challenge_route::kind::serve:
        resp.head = route.head;
        file = read_challenge_file(srv_.config().dir_fd, route.token, srv_.config().max_challenge_size);
        switch (file.st) {
        case challenge_file::status::found:
            resp.status = 200;
            resp.body = file.content;
            break;
        case challenge_file::status::not_found: resp.status = 404; break;
        case challenge_file::status::refused:
        case challenge_file::status::error:
            // Only the master and client can put files there: this is a setup problem worth
            // seeing at the normal level, not something a stranger can trigger at will.
            srv_.log().log_limited(log_level::info, "challenge file",
                                   error_text("challenge file " + std::string(route.token) + ": " + file.reason));
            resp.status = 404;
            break;
        }
        break;
    case challenge_route::kind::not_found: resp.status = 404; break;
    case challenge_route::kind::method_not_allowed: resp.status = 405; break;
    case challenge_route::kind::bad_request:
        resp.status = 400;
        resp.keep_alive = false;
        close_after_write_ = true;
        break;
    }
    append_response(out_, resp);
    if (srv_.config().debug)
        log_request(req.method, req.target, req.version_minor, resp.status);
}

void connection::answer_error(int status, std::string_view reason)
{
    http_response resp;
    resp.status = status;
    resp.keep_alive = false;
    resp.date = srv_.http_date();
    append_response(out_, resp);
    if (srv_.config().debug)
        srv_.log().debug("Bad request (" + std::string(reason) + "): " + std::to_string(status) + " from [" +
                         peer_name(stream_->handle(), kind_) + "]");
}

void connection::log_request(std::string_view method, std::string_view target, int version_minor, int status)
{
    // The parser only lets visible ASCII through in method and target: safe to log verbatim.
    srv_.log().debug(std::string(method) + " " + std::string(target) + " HTTP/1." + std::to_string(version_minor) +
                     " " + std::to_string(status) + " from [" + peer_name(stream_->handle(), kind_) + "]");
}

void connection::flush()
{
    phase_ = phase::writing;
    deadline_ = srv_.now() + srv_.config().write_timeout_ms;
    const bool queued = stream_->write(std::move(out_));
    out_.clear();
    if (!queued)
        close();
}

void connection::after_write()
{
    out_.clear();
    owner_.touch(position_);
    if (close_after_write_) {
        // A peer that sent nothing beyond its last request gets a plain close (FIN after the
        // response); lingering costs a shutdown and another loop round per connection.
        if (linger_ && !peer_eof_)
            begin_linger();
        else
            close();
        return;
    }
    phase_ = phase::reading;
    deadline_ = srv_.now() + srv_.config().header_timeout_ms;
    const std::string input = std::move(pending_);
    pending_.clear();
    if (!peer_eof_)
        start_reading();
    if (phase_ == phase::reading)
        process(input);
    // A half-closed peer gets answers to every complete request it sent, then we are done.
    if (peer_eof_ && phase_ == phase::reading)
        close();
}

void connection::begin_linger()
{
    // Closing right away would make the kernel answer unread pipelined bytes with a RST, which
    // can destroy the response in flight: send our FIN, then drain until the peer's.
    phase_ = phase::lingering;
    deadline_ = srv_.now() + srv_.config().linger_timeout_ms;
    if (!stream_->shutdown([this](int status) {
            if (phase_ != phase::closing && status < 0)
                close();
        })) {
        close();
        return;
    }
    start_reading();
}

}  // namespace lacme::web
