// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/uv/stream.hpp"

#include "common/uv/error.hpp"

#include <unistd.h>

#include <vector>

namespace lacme::uv {

// Owned by the stream object until it goes away, then by the handle: the close callback frees it.
struct stream::core {
    handle_ptr<uv_stream_t> handle;  // empty once closing or closed
    std::size_t max_queued;
    std::size_t queued = 0;  // bytes of the writes not yet done
    data_fn on_data;
    status_fn on_end;
    done_fn on_written;
    status_fn on_write_error;
    done_fn on_ended;
    status_fn on_shutdown;
    done_fn on_closed;
    std::span<char> buffer;
    std::vector<char> own_buffer;
    uv_shutdown_t shutdown{};
    bool ending = false;
    bool closing = false;  // uv_close called, its callback still due
    bool detached = false;  // the stream object is gone: no more callbacks
};

namespace {

constexpr std::size_t own_buffer_size = std::size_t{16} * 1024;

struct write_request {
    uv_write_t req{};
    std::string bytes;
};

void core_closed(void* data)
{
    auto* c = static_cast<stream::core*>(data);
    c->closing = false;
    if (c->detached) {
        const std::unique_ptr<stream::core> freed(c);
        return;
    }
    if (!c->on_closed)
        return;
    const stream::done_fn notify = std::move(c->on_closed);
    notify();  // last: it may destroy the stream, and with it c
}

void close_handle(stream::core& c) noexcept
{
    if (!c.handle)
        return;
    c.closing = c.handle->loop != nullptr;  // an uninitialised handle is freed at once
    uv::close(std::move(c.handle), core_closed);
}

void on_shutdown(uv_shutdown_t* req, int status)
{
    auto* c = static_cast<stream::core*>(req->data);
    if (status == UV_ECANCELED)
        return;  // closed meanwhile
    if (!c->ending) {
        if (!c->detached && c->on_shutdown) {
            const stream::status_fn notify = std::move(c->on_shutdown);
            notify(status);
        }
        return;
    }
    close_handle(*c);
    if (c->detached || !c->on_ended)
        return;
    const stream::done_fn notify = std::move(c->on_ended);
    notify();
}

bool start_shutdown(stream::core& c) noexcept
{
    c.shutdown.data = &c;
    return uv_shutdown(&c.shutdown, c.handle.get(), on_shutdown) == 0;
}

// False when libuv refuses the shutdown: the handle is then closed at once.
bool start_end(stream::core& c) noexcept
{
    c.ending = true;
    uv_read_stop(c.handle.get());
    if (start_shutdown(c))
        return true;
    close_handle(c);
    return false;
}

void on_write(uv_write_t* req, int status)
{
    const std::unique_ptr<write_request> done(static_cast<write_request*>(req->data));
    auto* c = static_cast<stream::core*>(req->handle->data);
    c->queued -= done->bytes.size();
    if (c->detached || status == UV_ECANCELED)
        return;
    if (status != 0) {
        if (c->on_write_error)
            c->on_write_error(status);
    } else if (c->on_written) {
        c->on_written();
    }
}

void on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf)
{
    auto* c = static_cast<stream::core*>(s->data);
    if (nread == 0)
        return;
    if (nread < 0)
        uv_read_stop(s);
    if (c->detached)
        return;
    if (nread > 0)
        c->on_data(std::string_view(buf->base, static_cast<std::size_t>(nread)));
    else
        c->on_end(nread == UV_EOF ? 0 : static_cast<int>(nread));
}

}  // namespace

void stream::core_release::operator()(core* c) const noexcept
{
    c->detached = true;
    if (c->handle && !c->ending) {
        if (c->queued > 0)
            (void)start_end(*c);
        else
            close_handle(*c);
    }
    if (!c->handle && !c->closing)
        const std::unique_ptr<core> freed(c);
}

stream::stream(handle_ptr<uv_stream_t> handle, std::size_t max_queued) : core_(std::make_unique<core>().release())
{
    core_->handle = std::move(handle);
    core_->max_queued = max_queued;
    core_->handle->data = core_.get();
}

stream stream::open(uv_loop_t* loop, unique_fd fd, std::size_t max_queued)
{
    auto pipe = make_handle<uv_stream_t>(UV_NAMED_PIPE);
    check(uv_pipe_init(loop, reinterpret_cast<uv_pipe_t*>(pipe.get()), 0), "uv_pipe_init");
    stream s(std::move(pipe), max_queued);
    check(uv_pipe_open(reinterpret_cast<uv_pipe_t*>(s.core_->handle.get()), fd.get()), "uv_pipe_open");
    (void)fd.release();  // the handle closes it now
    return s;
}

int stream::start_reading(data_fn on_data, status_fn on_end, std::span<char> buffer)
{
    core& c = *core_;
    if (!c.handle || c.ending)
        return UV_EPIPE;
    c.on_data = std::move(on_data);
    c.on_end = std::move(on_end);
    if (buffer.empty()) {
        c.own_buffer.resize(own_buffer_size);
        buffer = c.own_buffer;
    }
    c.buffer = buffer;
    const auto on_alloc = [](uv_handle_t* h, std::size_t, uv_buf_t* buf) {
        const std::span<char> b = static_cast<core*>(h->data)->buffer;
        *buf = uv_buf_init(b.data(), static_cast<unsigned>(b.size()));
    };
    return uv_read_start(c.handle.get(), on_alloc, on_read);
}

void stream::stop_reading() noexcept
{
    if (core_ && core_->handle)
        uv_read_stop(core_->handle.get());
}

void stream::read_ready_bytes()
{
    core* c = core_.get();
    uv_os_fd_t fd = -1;
    if (c == nullptr || !c->handle || c->ending || !c->on_data ||
        uv_fileno(reinterpret_cast<const uv_handle_t*>(c->handle.get()), &fd) != 0)
        return;
    const std::span<char> b = c->buffer;
    // libuv made the descriptor non-blocking: this stops at EAGAIN, and at the end (libuv sees it too).
    for (ssize_t n; (n = ::read(fd, b.data(), b.size())) > 0;)
        c->on_data(std::string_view(b.data(), static_cast<std::size_t>(n)));
}

bool stream::write(std::string bytes)
{
    core* c = core_.get();
    if (c == nullptr || !c->handle || c->ending || bytes.size() > c->max_queued - c->queued)
        return false;
    auto request = std::make_unique<write_request>();
    request->bytes = std::move(bytes);
    request->req.data = request.get();
    const uv_buf_t buf = uv_buf_init(request->bytes.data(), static_cast<unsigned>(request->bytes.size()));
    if (uv_write(&request->req, c->handle.get(), &buf, 1, on_write) != 0)
        return false;
    c->queued += request->bytes.size();
    (void)request.release();  // freed by on_write, also when the write is cancelled
    return true;
}

void stream::on_write_done(done_fn on_written, status_fn on_error)
{
    core_->on_written = std::move(on_written);
    core_->on_write_error = std::move(on_error);
}

std::size_t stream::unsent_bytes() const noexcept
{
    return core_ && core_->handle ? uv_stream_get_write_queue_size(core_->handle.get()) : 0;
}

void stream::end(done_fn on_ended)
{
    core* c = core_.get();
    if (c == nullptr || !c->handle || c->ending)
        return;
    c->on_ended = std::move(on_ended);
    if (start_end(*c) || !c->on_ended)
        return;
    const done_fn notify = std::move(c->on_ended);
    notify();  // last: it may destroy this object
}

bool stream::shutdown(status_fn on_done)
{
    core* c = core_.get();
    if (c == nullptr || !c->handle || c->ending)
        return false;
    if (!start_shutdown(*c))
        return false;
    c->on_shutdown = std::move(on_done);  // libuv never calls back before uv_shutdown returns
    return true;
}

void stream::close(done_fn on_closed) noexcept
{
    if (!core_ || !core_->handle)
        return;
    core_->on_closed = std::move(on_closed);
    close_handle(*core_);
}

bool stream::reset(done_fn on_closed) noexcept
{
    core* c = core_.get();
    if (c == nullptr || !c->handle)
        return false;
    c->on_closed = std::move(on_closed);
    if (!close_reset(c->handle, core_closed)) {
        c->on_closed = nullptr;
        return false;
    }
    c->closing = true;
    return true;
}

void stream::unref() noexcept
{
    if (core_ && core_->handle)
        uv_unref(as_handle(core_->handle.get()));
}

uv_stream_t* stream::handle() noexcept
{
    return core_ ? core_->handle.get() : nullptr;
}

bool stream::is_open() const noexcept
{
    return core_ && core_->handle && !core_->ending;
}

}  // namespace lacme::uv
