// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/uv/loop.hpp"
#include "common/uv/signal_watcher.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <vector>

namespace uv = lacme::uv;

BOOST_AUTO_TEST_SUITE(uv_signal_watcher)

BOOST_AUTO_TEST_CASE(a_watched_signal_calls_back_on_the_loop)
{
    uv::loop loop;
    std::vector<int> received;
    uv::signal_watcher watcher(loop.get(), {SIGUSR1, SIGUSR2}, [&](int signum) {
        received.push_back(signum);
        if (received.size() == 2)
            watcher.stop();  // the loop then runs dry and run() returns
    });
    BOOST_REQUIRE_EQUAL(std::raise(SIGUSR2), 0);
    BOOST_TEST(received.empty());  // not from the signal handler itself
    BOOST_REQUIRE_EQUAL(std::raise(SIGUSR1), 0);
    loop.run();
    BOOST_TEST(received == (std::vector<int>{SIGUSR2, SIGUSR1}));
    BOOST_TEST(!watcher.watching());
}

BOOST_AUTO_TEST_CASE(a_stopped_watcher_keeps_no_loop_alive)
{
    uv::loop loop;
    uv::signal_watcher watcher(loop.get(), {SIGUSR1}, [](int) {});
    BOOST_TEST(watcher.watching());
    BOOST_TEST(uv_loop_alive(loop.get()));
    watcher.stop();
    watcher.stop();
    loop.run();
    BOOST_TEST(!uv_loop_alive(loop.get()));
}

BOOST_AUTO_TEST_SUITE_END()
