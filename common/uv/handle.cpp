// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/uv/handle.hpp"

#include <cstring>
#include <new>

namespace lacme::uv::detail {
namespace {

// The block: this header, then the handle at a maximally aligned offset.
struct block_header {
    closed_callback on_closed = nullptr;
};
constexpr std::size_t handle_offset = alignof(std::max_align_t);
static_assert(sizeof(block_header) <= handle_offset);

block_header* header_of(uv_handle_t* handle) noexcept
{
    return std::launder(reinterpret_cast<block_header*>(reinterpret_cast<std::byte*>(handle) - handle_offset));
}

void free_block(uv_handle_t* handle) noexcept
{
    block_header* header = header_of(handle);
    header->~block_header();
    ::operator delete(static_cast<void*>(header));
}

void on_handle_closed(uv_handle_t* handle) noexcept
{
    if (const closed_callback notify = header_of(handle)->on_closed)
        notify(handle->data);
    free_block(handle);
}

}  // namespace

void* allocate_handle(std::size_t handle_size)
{
    auto* block = static_cast<std::byte*>(::operator new(handle_offset + handle_size));
    new (block) block_header{};
    std::memset(block + handle_offset, 0, handle_size);
    return block + handle_offset;
}

void close_handle(uv_handle_t* handle, closed_callback on_closed) noexcept
{
    if (handle == nullptr)
        return;
    // A failed uv_*_init leaves the handle as we allocated it, unknown to any loop.
    if (handle->loop == nullptr) {
        free_block(handle);
        return;
    }
    if (uv_is_closing(handle))
        return;
    header_of(handle)->on_closed = on_closed;
    uv_close(handle, on_handle_closed);
}

int close_reset_tcp(uv_handle_t* handle, closed_callback on_closed) noexcept
{
    if (handle == nullptr || handle->type != UV_TCP || uv_is_closing(handle))
        return UV_EINVAL;
    header_of(handle)->on_closed = on_closed;
    return uv_tcp_close_reset(reinterpret_cast<uv_tcp_t*>(handle), on_handle_closed);
}

}  // namespace lacme::uv::detail
