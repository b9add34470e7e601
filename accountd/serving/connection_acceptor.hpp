// SPDX-License-Identifier: GPL-3.0-or-later
// Accepts connections on the listening socket, on one event loop, and hands each one on. It
// keeps the daemon-wide connection cap: when the cap is reached, or accept4 fails (out of file
// descriptors, memory...), it stops watching the socket (peers wait in the kernel's backlog)
// until a connection closes (or, after a failure, a second has passed): no busy loop, one log
// line per episode.
#pragma once

#include "accountd/serving/connection_slots.hpp"
#include "common/uv/handle.hpp"
#include "common/uv/poll_watcher.hpp"
#include "common/uv/timer.hpp"
#include "common/log.hpp"
#include "common/unique_fd.hpp"

#include <uv.h>

#include <functional>

namespace lacme::accountd {

class connection_acceptor {
public:
    using dispatch = std::function<void(unique_fd)>;

    // listen_fd stays owned by the caller; slots must outlive the acceptor.
    connection_acceptor(uv_loop_t* loop, int listen_fd, connection_slots& slots, logger& log, dispatch hand_on);
    connection_acceptor(const connection_acceptor&) = delete;
    connection_acceptor& operator=(const connection_acceptor&) = delete;
    ~connection_acceptor();

private:
    enum class state { accepting, at_capacity, out_of_resources };

    void accept_pending();
    void pause(state why, int error);
    void resume();

    int listen_fd_;
    connection_slots& slots_;
    logger& log_;
    dispatch hand_on_;
    state state_ = state::accepting;
    bool pause_logged_ = false;  // until the backlog is empty again
    uv::poll_watcher listener_;
    uv::timer retry_;  // resource shortage: try again even if nothing closes
    uv::handle_ptr<uv_async_t> slot_freed_;  // sent by the thread that gave a slot back
};

}  // namespace lacme::accountd
