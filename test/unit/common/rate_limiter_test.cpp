// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/rate_limiter.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <optional>

using lacme::rate_limiter;
using namespace std::chrono_literals;

namespace {

const rate_limiter::clock::time_point t0{};

}  // namespace

BOOST_AUTO_TEST_SUITE(rate_limiting)

BOOST_AUTO_TEST_CASE(lets_a_burst_through_then_holds_back)
{
    rate_limiter limiter(3, 1s);
    for (int i = 0; i < 3; ++i)
        BOOST_TEST((limiter.admit("nosign", t0) == std::optional<std::uint64_t>(0)));
    BOOST_TEST(!limiter.admit("nosign", t0).has_value());
    BOOST_TEST(!limiter.admit("nosign", t0 + 999ms).has_value());
}

BOOST_AUTO_TEST_CASE(refills_one_token_per_interval_and_reports_what_it_held_back)
{
    rate_limiter limiter(2, 1s);
    (void)limiter.admit("k", t0);
    (void)limiter.admit("k", t0);
    for (int i = 0; i < 7; ++i)
        BOOST_TEST(!limiter.admit("k", t0 + 500ms).has_value());
    BOOST_TEST((limiter.admit("k", t0 + 1s) == std::optional<std::uint64_t>(7)));
    BOOST_TEST(!limiter.admit("k", t0 + 1500ms).has_value());
    BOOST_TEST((limiter.admit("k", t0 + 2s) == std::optional<std::uint64_t>(1)));
}

BOOST_AUTO_TEST_CASE(a_long_pause_refills_no_more_than_the_burst)
{
    rate_limiter limiter(2, 1s);
    (void)limiter.admit("k", t0);
    const auto later = t0 + 24h;
    BOOST_TEST(limiter.admit("k", later).has_value());
    BOOST_TEST(limiter.admit("k", later).has_value());
    BOOST_TEST(!limiter.admit("k", later).has_value());
}

BOOST_AUTO_TEST_CASE(kinds_have_separate_buckets)
{
    rate_limiter limiter(1, 1s);
    BOOST_TEST(limiter.admit("accept", t0).has_value());
    BOOST_TEST(!limiter.admit("accept", t0).has_value());
    BOOST_TEST(limiter.admit("nosign", t0).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
