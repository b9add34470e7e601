#include "common/log_throttle.hpp"

#include <boost/test/unit_test.hpp>

using lacme::log_throttle;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(log_throttle_bucket)

BOOST_AUTO_TEST_CASE(lets_a_burst_through_then_one_per_interval_and_counts_the_rest)
{
    log_throttle throttle(3, 1s);
    const auto t0 = log_throttle::clock::time_point{} + 100s;
    for (int i = 0; i < 3; ++i)
        BOOST_TEST(throttle.allow(t0).value_or(99) == 0u);
    BOOST_TEST(!throttle.allow(t0));
    BOOST_TEST(!throttle.allow(t0 + 999ms));
    BOOST_TEST(throttle.allow(t0 + 1s).value_or(99) == 2u);  // says how many were dropped
    BOOST_TEST(!throttle.allow(t0 + 1500ms));
    BOOST_TEST(throttle.allow(t0 + 2s).value_or(99) == 1u);
}

BOOST_AUTO_TEST_CASE(refills_to_the_burst_and_no_further)
{
    log_throttle throttle(2, 1s);
    const auto t0 = log_throttle::clock::time_point{} + 100s;
    BOOST_TEST(throttle.allow(t0).has_value());
    BOOST_TEST(throttle.allow(t0).has_value());
    BOOST_TEST(!throttle.allow(t0));
    const auto later = t0 + 1h;
    BOOST_TEST(throttle.allow(later).value_or(99) == 1u);
    BOOST_TEST(throttle.allow(later).has_value());
    BOOST_TEST(!throttle.allow(later));
}

BOOST_AUTO_TEST_SUITE_END()
