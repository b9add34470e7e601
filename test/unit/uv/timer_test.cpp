// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/uv/loop.hpp"
#include "common/uv/timer.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <memory>

namespace uv = lacme::uv;
using std::chrono::milliseconds;

BOOST_AUTO_TEST_SUITE(uv_timer)

BOOST_AUTO_TEST_CASE(a_started_timer_calls_back_once_after_its_delay)
{
    uv::loop loop;
    int calls = 0;
    uv::timer t(loop.get(), [&] { ++calls; });
    BOOST_TEST(!t.active());
    const auto before = loop.now();
    t.start(milliseconds(20));
    BOOST_TEST(t.active());
    loop.run();  // runs dry once the one-shot timer has fired
    BOOST_TEST(calls == 1);
    BOOST_TEST(!t.active());
    BOOST_TEST(loop.now() - before >= 20u);
}

BOOST_AUTO_TEST_CASE(a_repeating_timer_calls_back_until_stopped)
{
    uv::loop loop;
    int calls = 0;
    uv::timer t(loop.get(), [&] {
        if (++calls == 3)
            t.stop();
    });
    t.start(milliseconds(1), milliseconds(1));
    loop.run();
    BOOST_TEST(calls == 3);
}

BOOST_AUTO_TEST_CASE(a_stopped_timer_never_calls_back_and_keeps_no_loop_alive)
{
    uv::loop loop;
    int calls = 0;
    uv::timer t(loop.get(), [&] { ++calls; });
    t.start(milliseconds(10));
    t.stop();
    t.stop();
    loop.run();
    BOOST_TEST(calls == 0);
    BOOST_TEST(!uv_loop_alive(loop.get()));
}

BOOST_AUTO_TEST_CASE(an_unreferenced_timer_lets_the_loop_run_dry)
{
    uv::loop loop;
    int calls = 0;
    uv::timer t(loop.get(), [&] { ++calls; });
    t.start(milliseconds(60000));
    t.unref();
    loop.run();  // would wait a minute if the timer held the loop
    BOOST_TEST(calls == 0);
    BOOST_TEST(t.active());
}

BOOST_AUTO_TEST_CASE(starting_again_restarts_the_delay)
{
    uv::loop loop;
    int calls = 0;
    uv::timer later(loop.get(), [&] { ++calls; });
    uv::timer sooner(loop.get(), [&] { later.start(milliseconds(1)); });  // replaces the minute
    later.start(milliseconds(60000));
    sooner.start(milliseconds(1));
    loop.run();
    BOOST_TEST(calls == 1);
}

BOOST_AUTO_TEST_CASE(the_callback_may_destroy_its_timer)
{
    uv::loop loop;
    auto t = std::make_unique<uv::timer>(loop.get(), [] {});
    bool fired = false;
    t = std::make_unique<uv::timer>(loop.get(), [&] {
        fired = true;
        t.reset();
    });
    t->start(milliseconds(1));
    loop.run();
    BOOST_TEST(fired);
    BOOST_TEST(!t);
}

BOOST_AUTO_TEST_SUITE_END()
