// SPDX-License-Identifier: GPL-3.0-or-later
// The libuv stream for a socket of either kind the webserver serves: a uv_tcp_t or a uv_pipe_t,
// used through uv_stream_t.
#pragma once

#include "common/uv/handle.hpp"
#include "webserver/listen_socket.hpp"

#include <uv.h>

namespace lacme::web {

// An initialised, not yet opened stream handle on loop. Throws lacme::error.
[[nodiscard]] uv::handle_ptr<uv_stream_t> make_socket_stream(uv_loop_t* loop, socket_kind kind);

// The TCP view of a stream made for socket_kind::tcp.
[[nodiscard]] inline uv_tcp_t* as_tcp(uv_stream_t* stream) noexcept
{
    return reinterpret_cast<uv_tcp_t*>(stream);
}

}  // namespace lacme::web
