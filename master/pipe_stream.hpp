// A pipe or socket fd on the master's libuv loop: queued writes that own their bytes, reads
// delivered as chunks, end of stream reported once. The handle is closed (asynchronously) when
// the object goes away, so callbacks never reach a destroyed owner.
#pragma once

#include "common/unique_fd.hpp"

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace lacme::master {

class pipe_stream {
public:
    using data_fn = std::function<void(std::string_view)>;
    using end_fn = std::function<void(int status)>;  // 0 at EOF, a libuv error otherwise

    pipe_stream(uv_loop_t* loop, unique_fd fd);
    ~pipe_stream();
    pipe_stream(const pipe_stream&) = delete;
    pipe_stream& operator=(const pipe_stream&) = delete;

    void start_reading(data_fn on_data, end_fn on_end);
    void stop_reading() noexcept;
    // Write errors are reported through on_write_error (EPIPE: the peer is gone).
    void write(std::string bytes);
    // Closes the fd once every queued write is done (the peer sees EOF); nothing more is read.
    void close_after_writes();
    void on_write_error(end_fn callback) { on_write_error_ = std::move(callback); }
    // Reading this stream alone does not keep the loop running (queued writes still do).
    void unref() noexcept;

    struct handle;  // the libuv side, defined in the .cpp

private:
    std::unique_ptr<handle, void (*)(handle*)> handle_;
    end_fn on_write_error_;
};

}  // namespace lacme::master
