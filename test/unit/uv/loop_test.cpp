// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/uv/error.hpp"
#include "common/uv/handle.hpp"
#include "common/uv/loop.hpp"

#include "common/error.hpp"

#include <boost/test/unit_test.hpp>

#include <uv.h>

#include <string>

namespace uv = lacme::uv;

BOOST_AUTO_TEST_SUITE(uv_loop)

BOOST_AUTO_TEST_CASE(stop_returns_from_run_with_handles_still_active)
{
    uv::loop loop;
    auto timer = uv::make_handle<uv_timer_t>();
    BOOST_REQUIRE_EQUAL(uv_timer_init(loop.get(), timer.get()), 0);
    int ticks = 0;
    struct context {
        uv::loop* loop;
        int* ticks;
    } ctx{&loop, &ticks};
    timer->data = &ctx;
    BOOST_REQUIRE_EQUAL(uv_timer_start(
                            timer.get(),
                            [](uv_timer_t* t) {
                                auto* c = static_cast<context*>(t->data);
                                if (++*c->ticks == 3)
                                    c->loop->stop();
                            },
                            1, 1),
                        0);
    loop.run();
    BOOST_TEST(ticks == 3);
    BOOST_TEST(uv_is_active(uv::as_handle(timer.get())));
}

BOOST_AUTO_TEST_CASE(run_nowait_does_not_block)
{
    uv::loop loop;
    auto timer = uv::make_handle<uv_timer_t>();
    BOOST_REQUIRE_EQUAL(uv_timer_init(loop.get(), timer.get()), 0);
    BOOST_REQUIRE_EQUAL(uv_timer_start(
                            timer.get(), [](uv_timer_t*) {}, 60'000, 0),
                        0);
    const std::uint64_t before = uv_hrtime();
    loop.run_nowait();
    BOOST_TEST(uv_hrtime() - before < 5'000'000'000ULL);
}

BOOST_AUTO_TEST_CASE(check_throws_lacme_error_with_libuv_message)
{
    BOOST_CHECK_NO_THROW(uv::check(0, "fine"));
    BOOST_CHECK_NO_THROW(uv::check(5, "a count"));
    try {
        uv::check(UV_EADDRINUSE, "listen");
        BOOST_FAIL("no exception");
    } catch (const lacme::error& e) {
        BOOST_TEST(std::string(e.what()) == std::string("listen: ") + uv_strerror(UV_EADDRINUSE));
    }
}

BOOST_AUTO_TEST_SUITE_END()
