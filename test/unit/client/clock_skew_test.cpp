// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 23 item 8: a local clock far from the CA's is named before ordering, with a hint.
#include "client/clock_skew.hpp"

#include <boost/test/unit_test.hpp>

using namespace lacme::client;
using namespace std::chrono_literals;

namespace {

// Sun, 06 Dec 2026 01:00:00 GMT
const std::chrono::system_clock::time_point ca_now = std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} + 1h;
const std::string ca_date = "Sun, 06 Dec 2026 01:00:00 GMT";

}  // namespace

BOOST_AUTO_TEST_SUITE(clock_skew)

BOOST_AUTO_TEST_CASE(a_clock_within_the_tolerance_is_not_reported)
{
    BOOST_TEST(!clock_skew_warning(ca_date, ca_now));
    BOOST_TEST(!clock_skew_warning(ca_date, ca_now + clock_skew_tolerance));
    BOOST_TEST(!clock_skew_warning(ca_date, ca_now - clock_skew_tolerance));
}

BOOST_AUTO_TEST_CASE(a_clock_ahead_or_behind_is_named_with_the_distance_and_a_hint)
{
    const auto ahead = clock_skew_warning(ca_date, ca_now + 2h + 3min);
    BOOST_REQUIRE(ahead);
    BOOST_TEST(ahead->starts_with("this host's clock is 2 h 3 min ahead of the CA's (Date: " + ca_date + ")"));
    BOOST_TEST(ahead->find("timedatectl") != std::string::npos);
    const auto behind = clock_skew_warning(ca_date, ca_now - 6min);
    BOOST_REQUIRE(behind);
    BOOST_TEST(behind->starts_with("this host's clock is 6 min behind the CA's"));
}

BOOST_AUTO_TEST_CASE(no_or_unreadable_date_is_not_a_clock_problem)
{
    BOOST_TEST(!clock_skew_warning(std::nullopt, ca_now));
    BOOST_TEST(!clock_skew_warning(std::string("yesterday"), ca_now));
    BOOST_TEST(!clock_skew_warning(std::string("Sun, 06 Dec 2026 01:00:00 GMT\x1b[2J"), ca_now + 3h));
}

BOOST_AUTO_TEST_SUITE_END()
