// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/serving/connection_acceptor.hpp"

#include "common/error.hpp"
#include "common/uv/error.hpp"

#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace lacme::accountd {
namespace {

constexpr std::chrono::milliseconds resource_retry{1000};

}  // namespace

connection_acceptor::connection_acceptor(uv_loop_t* loop, int listen_fd, connection_slots& slots, logger& log,
                                         dispatch hand_on)
    : listen_fd_(listen_fd), slots_(slots), log_(log), hand_on_(std::move(hand_on)),
      listener_(loop, listen_fd,
                [this](int status, int) {
                    if (status != 0)
                        pause(state::out_of_resources, -status);
                    else
                        accept_pending();
                }),
      retry_(loop, [this] { resume(); }), slot_freed_(uv::make_handle<uv_async_t>())
{
    const int flags = ::fcntl(listen_fd, F_GETFL);
    if (flags < 0 || ::fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK) != 0)
        throw_errno("fcntl(O_NONBLOCK)");
    uv::check(uv_async_init(loop, slot_freed_.get(),
                            [](uv_async_t* h) { static_cast<connection_acceptor*>(h->data)->resume(); }),
              "uv_async_init");
    slot_freed_->data = this;
    resume();
}

connection_acceptor::~connection_acceptor()
{
    slots_.cancel_wake();  // before slot_freed_ closes: no thread may send to it afterwards
}

void connection_acceptor::resume()
{
    state_ = state::accepting;
    retry_.stop();
    listener_.start(UV_READABLE);
}

void connection_acceptor::accept_pending()
{
    while (state_ == state::accepting) {
        if (slots_.full()) {
            pause(state::at_capacity, 0);
            return;
        }
        unique_fd fd(::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
        if (!fd) {
            const int error = errno;
            if (error == EAGAIN || error == EWOULDBLOCK) {
                pause_logged_ = false;  // every waiting peer taken: the episode is over
                return;
            }
            // EMFILE, ENFILE, ENOBUFS...: retrying at once would spin.
            if (error != EINTR && error != ECONNABORTED)
                pause(state::out_of_resources, error);
            continue;
        }
        slots_.take();
        hand_on_(std::move(fd));
    }
}

void connection_acceptor::pause(state why, int error)
{
    state_ = why;
    listener_.stop();
    if (!pause_logged_) {
        pause_logged_ = true;
        log_.info(why == state::at_capacity ? "Too many connections (" + std::to_string(slots_.capacity()) +
                                                  " open): not accepting until one closes"
                                            : error_text(std::string("accept: ") + std::strerror(error) +
                                                         ": not accepting until a connection closes"));
    }
    slots_.wake_on_next_give_back([async = slot_freed_.get()] { uv_async_send(async); });
    if (why == state::out_of_resources)
        retry_.start(resource_retry);
    else if (!slots_.full())
        resume();  // a slot came free before we asked to be told
}

}  // namespace lacme::accountd
