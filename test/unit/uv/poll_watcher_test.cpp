// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/error.hpp"
#include "common/unique_fd.hpp"
#include "common/uv/loop.hpp"
#include "common/uv/poll_watcher.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <memory>
#include <utility>

namespace uv = lacme::uv;
using lacme::unique_fd;

namespace {

// lacme_uv's tests link only lacme_uv: no common/fd_pair here.
std::pair<unique_fd, unique_fd> make_pipe()
{
    int fds[2];
    BOOST_REQUIRE_EQUAL(::pipe2(fds, O_CLOEXEC), 0);
    return {unique_fd(fds[0]), unique_fd(fds[1])};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(uv_poll_watcher)

BOOST_AUTO_TEST_CASE(a_readable_descriptor_calls_back_until_stopped)
{
    uv::loop loop;
    auto [read_end, write_end] = make_pipe();
    int calls = 0;
    int seen_events = 0;
    uv::poll_watcher watcher(loop.get(), read_end.get(), [&](int status, int events) {
        BOOST_TEST(status == 0);
        seen_events = events;
        if (++calls == 2)
            watcher.stop();  // level-triggered: the unread byte calls back again until then
    });
    watcher.start(UV_READABLE);
    BOOST_REQUIRE_EQUAL(::write(write_end.get(), "x", 1), 1);
    loop.run();
    BOOST_TEST(calls == 2);
    BOOST_TEST((seen_events & UV_READABLE) != 0);
    BOOST_TEST(!uv_loop_alive(loop.get()));
}

BOOST_AUTO_TEST_CASE(a_stopped_watcher_keeps_no_loop_alive)
{
    uv::loop loop;
    auto [read_end, write_end] = make_pipe();
    int calls = 0;
    uv::poll_watcher watcher(loop.get(), read_end.get(), [&](int, int) { ++calls; });
    watcher.start(UV_READABLE);
    BOOST_TEST(uv_loop_alive(loop.get()));
    watcher.stop();
    watcher.stop();
    loop.run();
    BOOST_TEST(calls == 0);
}

BOOST_AUTO_TEST_CASE(the_callback_may_destroy_its_watcher)
{
    uv::loop loop;
    auto [read_end, write_end] = make_pipe();
    std::unique_ptr<uv::poll_watcher> watcher;
    int calls = 0;
    watcher = std::make_unique<uv::poll_watcher>(loop.get(), read_end.get(), [&](int, int) {
        ++calls;
        watcher.reset();
    });
    watcher->start(UV_READABLE);
    write_end.reset();  // end of file: readable
    loop.run();
    BOOST_TEST(calls == 1);
}

BOOST_AUTO_TEST_CASE(a_descriptor_that_cannot_be_watched_is_an_error)
{
    uv::loop loop;
    auto [read_end, write_end] = make_pipe();
    const int closed = read_end.get();
    read_end.reset();
    BOOST_CHECK_THROW(uv::poll_watcher(loop.get(), closed, [](int, int) {}), lacme::error);
}

BOOST_AUTO_TEST_SUITE_END()
