// SPDX-License-Identifier: GPL-3.0-or-later
// Owned libuv handles. libuv needs a handle's memory until its close callback has run, so every
// handle lives in a heap block that only that callback frees: handle_ptr<T> is a unique_ptr
// whose "delete" is uv_close, and close() also says when the handle is gone for good (for
// owners whose requests in flight must outlive the handle).
#pragma once

#include <uv.h>

#include <cstddef>
#include <memory>
#include <utility>

namespace lacme::uv {

// Called once libuv has closed a handle, with the handle's data pointer, just before its block
// is freed.
using closed_callback = void (*)(void* data);

namespace detail {

// A zeroed block for a handle of handle_size bytes; closing it frees it.
[[nodiscard]] void* allocate_handle(std::size_t handle_size);
// Starts closing (or frees at once a handle that was never initialised); idempotent.
void close_handle(uv_handle_t* handle, closed_callback on_closed) noexcept;
// uv_tcp_close_reset with the same freeing; returns its status.
int close_reset_tcp(uv_handle_t* handle, closed_callback on_closed) noexcept;

template <class T>
struct closer {
    void operator()(T* handle) const noexcept { close_handle(reinterpret_cast<uv_handle_t*>(handle), nullptr); }
};

}  // namespace detail

template <class T>
using handle_ptr = std::unique_ptr<T, detail::closer<T>>;

// A handle of type T (uv_timer_t, uv_signal_t...), zeroed, to be initialised by uv_T_init.
template <class T>
[[nodiscard]] handle_ptr<T> make_handle()
{
    return handle_ptr<T>(static_cast<T*>(detail::allocate_handle(sizeof(T))));
}

// A handle of the given type seen as T: a uv_stream_t that is a TCP socket or a pipe, say.
template <class T>
[[nodiscard]] handle_ptr<T> make_handle(uv_handle_type type)
{
    return handle_ptr<T>(static_cast<T*>(detail::allocate_handle(uv_handle_size(type))));
}

// Closes handle; on_closed(handle->data) runs from the loop once libuv is done with it.
template <class T>
void close(handle_ptr<T> handle, closed_callback on_closed) noexcept
{
    detail::close_handle(reinterpret_cast<uv_handle_t*>(handle.release()), on_closed);
}

// Closes a TCP handle with a reset (RST, unsent data dropped) instead of a FIN; on_closed as for
// close(). False, and the handle still open and owned, when libuv refuses (a shutdown queued).
template <class T>
[[nodiscard]] bool close_reset(handle_ptr<T>& tcp, closed_callback on_closed) noexcept
{
    if (detail::close_reset_tcp(reinterpret_cast<uv_handle_t*>(tcp.get()), on_closed) != 0)
        return false;
    (void)tcp.release();
    return true;
}

// The base view libuv's API takes.
template <class T>
[[nodiscard]] uv_handle_t* as_handle(T* handle) noexcept
{
    return reinterpret_cast<uv_handle_t*>(handle);
}

}  // namespace lacme::uv
