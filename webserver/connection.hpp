// One accepted client: reads request heads, answers each (pipelined ones batched into a single
// write), keeps the connection alive within limits, closes it gracefully. Owned by the server's
// connection list; it removes itself from there once libuv has closed its handle.
#pragma once

#include "webserver/http_request_parser.hpp"
#include "webserver/listen_socket.hpp"

#include <uv.h>

#include <cstdint>
#include <list>
#include <string>
#include <string_view>

namespace lacme::web {

class server;

class connection {
public:
    enum class phase { reading, writing, lingering, closing };

    connection(server& srv, socket_kind kind);
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection() = default;

    // Accepts the next pending connection of listener and starts reading. On failure the
    // connection closes itself (and is released asynchronously).
    void accept_from(uv_stream_t* listener);
    // Idempotent; the server releases the object from on_close.
    void close();
    // For peers that let a deadline pass with a response unread: a TCP reset frees the unsent
    // data at once instead of leaving the kernel to push it to a peer that does not read.
    void abort();

    [[nodiscard]] phase current_phase() const noexcept { return phase_; }
    [[nodiscard]] std::uint64_t deadline() const noexcept { return deadline_; }

    std::list<connection>::iterator self;  // position in the server's lists, set by the server

private:
    static void on_alloc(uv_handle_t* handle, std::size_t suggested, uv_buf_t* buf);
    static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
    static void on_write(uv_write_t* req, int status);
    static void on_shutdown(uv_shutdown_t* req, int status);
    static void on_close(uv_handle_t* handle);

    void handle_data(std::string_view data);
    void process(std::string_view data);
    void answer(const http_request& req, bool keep_alive);
    void answer_error(int status, std::string_view reason);
    void flush();
    void after_write();
    void begin_linger();
    void start_reading();
    void log_request(std::string_view method, std::string_view target, int version_minor, int status);

    server& srv_;
    socket_kind kind_;
    union {
        uv_handle_t handle;
        uv_stream_t stream;
        uv_tcp_t tcp;
        uv_pipe_t pipe;
    } h_{};
    uv_write_t write_req_{};
    uv_shutdown_t shutdown_req_{};
    http_request_parser parser_;
    std::string out_;      // responses being written
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
