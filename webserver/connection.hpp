// SPDX-License-Identifier: GPL-3.0-or-later
// One accepted client: reads request heads, answers each (pipelined ones batched into a single
// write), keeps the connection alive within limits, closes it gracefully. Owned by the server's
// connection lists; it has itself released from there once libuv has closed its handle.
#pragma once

#include "common/uv/stream.hpp"
#include "webserver/http_request_parser.hpp"
#include "webserver/listen_socket.hpp"

#include <uv.h>

#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <string_view>

namespace lacme::web {

class connection;
class server;
using connection_position = std::list<connection>::iterator;

// How a connection tells the lists holding it where it is in its life. The server implements
// it privately: nothing but its connections can move them around.
class connection_owner {
public:
    virtual void touch(connection_position c) = 0;  // activity: now the most recently active
    virtual void retire(connection_position c) = 0;  // closing: no longer counted or swept
    virtual void release(connection_position c) = 0;  // handle closed: destroy the connection

protected:
    connection_owner() = default;
    connection_owner(const connection_owner&) = default;
    connection_owner& operator=(const connection_owner&) = default;
    ~connection_owner() = default;
};

class connection {
public:
    enum class phase { reading, writing, lingering, closing };

    connection(server& srv, connection_owner& owner, socket_kind kind);
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection() = default;

    // Accepts the next pending connection of listener and starts reading; position is where
    // the owner keeps this connection. On failure the connection closes itself (and is
    // released asynchronously).
    void accept_from(uv_stream_t* listener, connection_position position);
    // Idempotent; the owner releases the object once libuv has closed the handle.
    void close();
    // For peers that let a deadline pass with a response unread: a TCP reset frees the unsent
    // data at once instead of leaving the kernel to push it to a peer that does not read.
    void abort();

    [[nodiscard]] phase current_phase() const noexcept { return phase_; }
    [[nodiscard]] std::uint64_t deadline() const noexcept { return deadline_; }

private:
    void on_closed();
    void on_read_end(int status);
    void handle_data(std::string_view data);
    void process(std::string_view data);
    void answer(const http_request& req, bool keep_alive);
    void answer_error(int status, std::string_view reason);
    void flush();
    void after_write();
    void begin_linger();
    void start_reading();
    void start_closing();
    void log_request(std::string_view method, std::string_view target, int version_minor, int status);

    server& srv_;
    connection_owner& owner_;
    connection_position position_;
    socket_kind kind_;
    // A uv_tcp_t or a uv_pipe_t, as kind_ says; from accept_from() on. The connection outlives
    // its handle (see on_closed).
    std::optional<uv::stream> stream_;
    http_request_parser parser_;
    std::string out_;  // responses being written
    std::string pending_;  // bytes received while writing: the next pipelined requests
    phase phase_ = phase::reading;
    bool reading_ = false;
    bool close_after_write_ = false;
    bool linger_ = false;  // unread input may follow: half-close and drain before closing
    bool peer_eof_ = false;
    unsigned requests_ = 0;
    std::uint64_t deadline_ = 0;
};

}  // namespace lacme::web
