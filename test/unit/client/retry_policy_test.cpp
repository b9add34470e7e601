// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/retry_policy.hpp"

#include <boost/test/unit_test.hpp>

using namespace lacme::client;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(retry_policy)

BOOST_AUTO_TEST_CASE(retry_after_seconds)
{
    const auto now = std::chrono::system_clock::now();
    const auto cap = std::chrono::milliseconds(1h);
    BOOST_TEST(parse_retry_after("120", now, cap)->count() == 120'000);
    BOOST_TEST(parse_retry_after(" 0 ", now, cap)->count() == 0);
    BOOST_TEST(!parse_retry_after("", now, cap));
    BOOST_TEST(!parse_retry_after("12abc", now, cap));
    BOOST_TEST(!parse_retry_after("-5", now, cap));
    BOOST_TEST(!parse_retry_after("soon", now, cap));
}

BOOST_AUTO_TEST_CASE(huge_retry_after_is_clamped_to_the_cap)
{
    // Issue 9: 10000000000 s overflowed `now + delay` and the client slept for centuries.
    const auto now = std::chrono::system_clock::now();
    const auto cap = std::chrono::milliseconds(2500);
    BOOST_TEST(parse_retry_after("10000000000", now, cap)->count() == 2500);
    BOOST_TEST(parse_retry_after("9223372036854775807", now, cap)->count() == 2500);
    BOOST_TEST(parse_retry_after("999999999999999999999999", now, cap)->count() == 2500);
    BOOST_TEST(parse_retry_after("3", now, cap)->count() == 2500);
    BOOST_TEST(parse_retry_after("2", now, cap)->count() == 2000);
    BOOST_TEST(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now, cap)->count() == 2500);
    BOOST_TEST(parse_retry_after("Sun Nov  6 08:49:37 3994", now, cap)->count() == 2500);
    BOOST_TEST(parse_retry_after("Thu, 01 Jan 2262 00:00:00 GMT", now, cap)->count() == 2500);
    BOOST_TEST(parse_retry_after("10000000000", now, 0ms)->count() == 0);
}

BOOST_AUTO_TEST_CASE(http_date_formats)
{
    // RFC 9110 §5.6.7's three examples all denote the same instant.
    const auto imf = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
    const auto rfc850 = parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT");
    const auto asctime = parse_http_date("Sun Nov  6 08:49:37 1994");
    BOOST_REQUIRE(imf);
    BOOST_REQUIRE(rfc850);
    BOOST_REQUIRE(asctime);
    BOOST_TEST(std::chrono::system_clock::to_time_t(*imf) == 784111777);
    BOOST_TEST((*imf == *rfc850));
    BOOST_TEST((*imf == *asctime));
    BOOST_TEST(!parse_http_date("Sun, 06 Nov 1994 08:49:37 CET"));
    BOOST_TEST(!parse_http_date("Sun, 36 Nov 1994 08:49:37 GMT"));
    BOOST_TEST(!parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
    BOOST_TEST(!parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"));
    BOOST_TEST(!parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT trailing"));
}

BOOST_AUTO_TEST_CASE(retry_after_date_relative_to_now)
{
    const auto now = *parse_http_date("Sun, 06 Nov 1994 08:49:00 GMT");
    BOOST_TEST(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now, 1h)->count() == 37'000);
    // A date in the past means "now", not a negative or huge delay.
    BOOST_TEST(parse_retry_after("Sun, 06 Nov 1994 08:40:00 GMT", now, 1h)->count() == 0);
}

BOOST_AUTO_TEST_CASE(dates_beyond_the_clock_range_saturate)
{
    // Found by fuzz_ca_response: year 3994 overflowed system_clock's nanoseconds (UB).
    const auto max = std::chrono::system_clock::time_point::max();
    BOOST_TEST((parse_http_date("Sun Nov  6 08:49:37 3994") == max));
    BOOST_TEST((parse_http_date("Thu, 01 Jan 9000 00:00:00 GMT") == max));
    BOOST_TEST((parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT") == max));
}

BOOST_AUTO_TEST_CASE(backoff_doubles_up_to_max)
{
    backoff b(250ms, 1s);
    BOOST_TEST(b.next().count() == 250);
    BOOST_TEST(b.next().count() == 500);
    BOOST_TEST(b.next().count() == 1000);
    BOOST_TEST(b.next().count() == 1000);
}

BOOST_AUTO_TEST_CASE(deadlines)
{
    const auto none = deadline::none();
    BOOST_TEST(!none.bounded());
    BOOST_TEST(!none.expired());
    BOOST_TEST(none.allows(std::chrono::hours(24)));
    BOOST_TEST(none.remaining(7s).count() == 7000);

    const auto soon = deadline::after(2s);
    BOOST_TEST(soon.bounded());
    BOOST_TEST(!soon.expired());
    BOOST_TEST(soon.allows(100ms));
    BOOST_TEST(!soon.allows(3s));
    // steady_clock's now() + 10000000000 s overflows: allows() must not add them.
    BOOST_TEST(!soon.allows(std::chrono::duration_cast<std::chrono::milliseconds>(10'000'000'000s)));
    BOOST_TEST(!soon.allows(std::chrono::milliseconds::max()));
    BOOST_TEST(soon.remaining(60s).count() <= 2000);

    const auto past = deadline::after(-1s);
    BOOST_TEST(past.expired());
    BOOST_TEST(past.remaining(60s).count() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
