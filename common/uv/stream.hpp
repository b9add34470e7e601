// SPDX-License-Identifier: GPL-3.0-or-later
// An owned libuv stream (a pipe or a socket) with what each of its users needs: reads delivered
// as chunks, a bounded queue of writes that own their bytes, and an end that flushes the queued
// writes, half-closes, then closes, once. When the object goes away with writes still queued
// (a client's CSR, a peer's last answer) the handle lives on until they are out; no callback
// ever reaches a destroyed owner.
#pragma once

#include "common/unique_fd.hpp"
#include "common/uv/handle.hpp"

#include <uv.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace lacme::uv {

class stream {
public:
    using data_fn = std::function<void(std::string_view bytes)>;
    using status_fn = std::function<void(int status)>;  // 0 at end of stream, a libuv error otherwise
    using done_fn = std::function<void()>;

    // Adopts an initialised handle (an accepted socket, an opened pipe). max_queued bounds the
    // bytes of the writes not yet done.
    stream(handle_ptr<uv_stream_t> handle, std::size_t max_queued);
    // fd (a pipe or a socket) as a uv_pipe_t on loop; the handle closes it. Throws lacme::error.
    [[nodiscard]] static stream open(uv_loop_t* loop, unique_fd fd, std::size_t max_queued);
    stream(stream&&) noexcept = default;
    stream& operator=(stream&&) noexcept = default;
    stream(const stream&) = delete;
    stream& operator=(const stream&) = delete;
    ~stream() = default;  // end()s the stream if it is still open

    // Reads into buffer (shared by streams whose on_data consumes each chunk at once; empty:
    // a buffer of the stream's own). on_end runs once, at end of stream or a read error.
    // Returns libuv's status (0: reading).
    [[nodiscard]] int start_reading(data_fn on_data, status_fn on_end, std::span<char> buffer = {});
    void stop_reading() noexcept;
    // While reading: hands on_data, at once, the bytes already readable on the descriptor, for
    // a peer that writes on two streams in an order the reader must keep (a client's stderr
    // lines, then its answer on stdout); libuv reads the rest, and the end, as before.
    void read_ready_bytes();

    // Queues bytes; false (nothing queued) when the stream is ending or closed, when the queue
    // would exceed its bound, or when libuv refuses. Completions go to on_write_done's callbacks.
    [[nodiscard]] bool write(std::string bytes);
    // on_written after each completed write; on_error with the status of a failed one (EPIPE:
    // the peer is gone). Writes cancelled by close() report nothing.
    void on_write_done(done_fn on_written, status_fn on_error);
    // Bytes libuv could not hand to the kernel yet (flow control against a peer that does not read).
    [[nodiscard]] std::size_t unsent_bytes() const noexcept;

    // After the queued writes, half-closes (a socket's FIN); reading goes on (a peer's last
    // bytes are drained). on_done(status) once it is done, unless the stream is closed or the
    // object gone by then. False when libuv refuses (the stream is closing, or shutting down).
    [[nodiscard]] bool shutdown(status_fn on_done);
    // Stops reading, lets the queued writes finish, half-closes, closes; then on_ended, unless
    // the object is gone by then (at once if the stream cannot be shut down). Idempotent.
    void end(done_fn on_ended = {});
    // Closes now, dropping the queued writes; on_closed runs from the loop once libuv is done
    // with the handle (the owner may then destroy the object). Idempotent.
    void close(done_fn on_closed = {}) noexcept;
    // A TCP stream closed with a reset (RST, unsent data dropped) instead of a FIN; on_closed as
    // for close(). False, and the stream still open, when libuv refuses (a shutdown queued).
    [[nodiscard]] bool reset(done_fn on_closed) noexcept;
    // Reading this stream alone does not keep the loop running (queued writes still do).
    void unref() noexcept;
    [[nodiscard]] bool is_open() const noexcept;
    // For the libuv calls this class does not wrap (uv_accept into it, uv_tcp_getpeername,
    // uv_fileno); nullptr once closing.
    [[nodiscard]] uv_stream_t* handle() noexcept;

    struct core;  // the libuv side, defined in the .cpp

private:
    struct core_release {
        void operator()(core* c) const noexcept;
    };
    std::unique_ptr<core, core_release> core_;
};

}  // namespace lacme::uv
