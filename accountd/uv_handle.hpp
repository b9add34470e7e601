// Ownership of libuv handles: a handle must outlive uv_close() until its close callback runs, so
// handles live in heap blocks that the close callback frees.
#pragma once

#include <uv.h>

#include <memory>
#include <utility>

namespace lacme::accountd {

// Closes (asynchronously) and frees a heap-allocated libuv handle of type T.
template <class T>
void close_and_free(T* handle) noexcept
{
    if (handle == nullptr)
        return;
    auto* h = reinterpret_cast<uv_handle_t*>(handle);
    if (uv_is_closing(h))
        return;
    uv_close(h, [](uv_handle_t* closed) { std::default_delete<T>()(reinterpret_cast<T*>(closed)); });
}

template <class T>
struct uv_handle_closer {
    void operator()(T* handle) const noexcept { close_and_free(handle); }
};

// A libuv handle owned by a unique_ptr whose "delete" is uv_close + free in the callback.
template <class T>
using uv_handle_ptr = std::unique_ptr<T, uv_handle_closer<T>>;

template <class T>
uv_handle_ptr<T> make_uv_handle()
{
    return uv_handle_ptr<T>(std::make_unique<T>().release());
}

// Streams are allocated as uv_any_handle so one owner type fits pipes, TCP sockets and ttys.
inline uv_stream_t* as_stream(uv_any_handle* handle) noexcept
{
    return reinterpret_cast<uv_stream_t*>(handle);
}

}  // namespace lacme::accountd
