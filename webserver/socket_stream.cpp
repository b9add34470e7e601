// SPDX-License-Identifier: GPL-3.0-or-later
#include "webserver/socket_stream.hpp"

#include "common/uv/error.hpp"

namespace lacme::web {

uv::handle_ptr<uv_stream_t> make_socket_stream(uv_loop_t* loop, socket_kind kind)
{
    if (kind == socket_kind::tcp) {
        auto stream = uv::make_handle<uv_stream_t>(UV_TCP);
        uv::check(uv_tcp_init(loop, as_tcp(stream.get())), "uv_tcp_init");
        return stream;
    }
    auto stream = uv::make_handle<uv_stream_t>(UV_NAMED_PIPE);
    uv::check(uv_pipe_init(loop, reinterpret_cast<uv_pipe_t*>(stream.get()), 0), "uv_pipe_init");
    return stream;
}

}  // namespace lacme::web
