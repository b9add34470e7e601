#include "master/pipe_stream.hpp"

#include "common/error.hpp"

#include <array>

namespace lacme::master {

// Heap block holding the libuv handle; freed by the close callback, after the owner is gone.
struct pipe_stream::handle {
    uv_pipe_t pipe{};
    pipe_stream* owner = nullptr;
    data_fn on_data;
    end_fn on_end;
    std::size_t pending_writes = 0;
    bool close_when_drained = false;
    std::array<char, 16384> buffer{};
};

namespace {

struct write_request {
    uv_write_t req{};
    std::string bytes;
};

uv_stream_t* stream_of(uv_pipe_t* pipe) { return reinterpret_cast<uv_stream_t*>(pipe); }

void close_now(pipe_stream::handle* h) noexcept
{
    auto* as_handle = reinterpret_cast<uv_handle_t*>(&h->pipe);
    if (!uv_is_closing(as_handle))
        uv_close(as_handle, [](uv_handle_t* closed) {
            const std::unique_ptr<pipe_stream::handle> done(static_cast<pipe_stream::handle*>(closed->data));
        });
}

void release_handle(pipe_stream::handle* h) noexcept
{
    if (h == nullptr)
        return;
    h->owner = nullptr;
    // Queued writes still complete (a client's CSR); the handle is closed when they are done.
    if (h->pending_writes == 0)
        close_now(h);
    else
        h->close_when_drained = true;
}

}  // namespace

pipe_stream::pipe_stream(uv_loop_t* loop, unique_fd fd) : handle_(nullptr, release_handle)
{
    auto h = std::make_unique<handle>();
    if (const int rc = uv_pipe_init(loop, &h->pipe, 0); rc != 0)
        throw error(std::string("uv_pipe_init: ") + uv_strerror(rc));
    h->pipe.data = h.get();
    h->owner = this;
    handle_.reset(h.release());
    if (const int rc = uv_pipe_open(&handle_->pipe, fd.get()); rc != 0)
        throw error(std::string("uv_pipe_open: ") + uv_strerror(rc));
    (void)fd.release();  // libuv closes it with the handle
}

pipe_stream::~pipe_stream() = default;

void pipe_stream::start_reading(data_fn on_data, end_fn on_end)
{
    handle_->on_data = std::move(on_data);
    handle_->on_end = std::move(on_end);
    const int rc = uv_read_start(
        stream_of(&handle_->pipe),
        [](uv_handle_t* h, std::size_t, uv_buf_t* buf) {
            auto* self = static_cast<handle*>(h->data);
            *buf = uv_buf_init(self->buffer.data(), static_cast<unsigned>(self->buffer.size()));
        },
        [](uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
            auto* self = static_cast<handle*>(stream->data);
            if (nread == 0)
                return;
            if (nread < 0)
                uv_read_stop(stream);
            if (self->owner == nullptr)
                return;
            if (nread > 0)
                self->on_data(std::string_view(buf->base, static_cast<std::size_t>(nread)));
            else
                self->on_end(nread == UV_EOF ? 0 : static_cast<int>(nread));
        });
    if (rc != 0)
        handle_->on_end(rc);
}

void pipe_stream::stop_reading() noexcept
{
    if (handle_)
        uv_read_stop(stream_of(&handle_->pipe));
}

void pipe_stream::unref() noexcept
{
    if (handle_)
        uv_unref(reinterpret_cast<uv_handle_t*>(&handle_->pipe));
}

void pipe_stream::write(std::string bytes)
{
    if (!handle_)
        return;  // closed: the peer is gone or done, nothing can reach it
    auto request = std::make_unique<write_request>();
    request->bytes = std::move(bytes);
    request->req.data = handle_.get();
    const uv_buf_t buf = uv_buf_init(request->bytes.data(), static_cast<unsigned>(request->bytes.size()));
    const int rc = uv_write(&request->req, stream_of(&handle_->pipe), &buf, 1, [](uv_write_t* req, int status) {
        const std::unique_ptr<write_request> done(reinterpret_cast<write_request*>(req));
        auto* self = static_cast<handle*>(req->data);
        --self->pending_writes;
        if (status != 0 && status != UV_ECANCELED && self->owner != nullptr && self->owner->on_write_error_)
            self->owner->on_write_error_(status);
        if (self->close_when_drained && self->pending_writes == 0)
            close_now(self);
    });
    if (rc != 0) {
        if (on_write_error_)
            on_write_error_(rc);
        return;
    }
    ++handle_->pending_writes;
    (void)request.release();  // freed by the write callback
}

void pipe_stream::close_after_writes()
{
    if (!handle_)
        return;
    stop_reading();
    handle_.reset();  // release_handle closes it once the queued writes are done
}

}  // namespace lacme::master
