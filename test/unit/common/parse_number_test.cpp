// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/parse_number.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <optional>

using lacme::parse_number;

namespace {

// Boost.Test cannot print a std::optional: compare "has this value" instead.
template <class T>
bool holds(const std::optional<T>& parsed, T expected)
{
    return parsed && *parsed == expected;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parse_number_suite)

BOOST_AUTO_TEST_CASE(takes_the_whole_text_as_a_number_in_range)
{
    BOOST_TEST(holds(parse_number<int>("0", 0, 10), 0));
    BOOST_TEST(holds(parse_number<int>("10", 0, 10), 10));
    BOOST_TEST(holds(parse_number<unsigned>("65535", 1, 65535), 65535u));
    BOOST_TEST(holds(parse_number<long>("-5", -10, 10), -5L));
    BOOST_TEST(holds(parse_number<int>("007", 0, 10), 7));
}

BOOST_AUTO_TEST_CASE(refuses_empty_text_and_anything_beside_the_digits)
{
    for (const char* bad : {"", " 1", "1 ", "+1", "1x", "x1", "0x1", "1.5", "1e3", "-", "--1", "1\n", "١"})
        BOOST_TEST(!parse_number<int>(bad, -100, 100), "accepted '" << bad << "'");
    BOOST_TEST(!parse_number<int>(std::string_view("1\0", 2), 0, 10));
}

BOOST_AUTO_TEST_CASE(refuses_a_sign_when_the_range_has_no_negative_number)
{
    BOOST_TEST(!parse_number<int>("-1", 0, 10));
    BOOST_TEST(!parse_number<int>("-0", 0, 10));
    BOOST_TEST(!parse_number<unsigned>("-0", 0u, 10u));
    BOOST_TEST(holds(parse_number<int>("-0", -1, 10), 0));
}

BOOST_AUTO_TEST_CASE(refuses_values_outside_the_bounds)
{
    BOOST_TEST(!parse_number<int>("11", 0, 10));
    BOOST_TEST(!parse_number<int>("-11", -10, 10));
    BOOST_TEST(!parse_number<unsigned>("0", 1, 65535));
    BOOST_TEST(!parse_number<unsigned>("65536", 1, 65535));
}

BOOST_AUTO_TEST_CASE(refuses_what_overflows_the_type)
{
    BOOST_TEST(!parse_number<int>("2147483648"));
    BOOST_TEST(holds(parse_number<int>("2147483647"), 2147483647));
    BOOST_TEST(holds(parse_number<int>("-2147483648"), -2147483647 - 1));
    BOOST_TEST(!parse_number<std::uint8_t>("256"));
    BOOST_TEST(!parse_number<unsigned long long>("99999999999999999999999"));
}

BOOST_AUTO_TEST_CASE(reads_octal_for_file_modes)
{
    BOOST_TEST(holds(parse_number<unsigned>("0644", 0u, 07777u, 8), 0644u));
    BOOST_TEST(holds(parse_number<unsigned>("7777", 0u, 07777u, 8), 07777u));
    BOOST_TEST(!parse_number<unsigned>("17777", 0u, 07777u, 8));
    BOOST_TEST(!parse_number<unsigned>("0689", 0u, 07777u, 8));
}

BOOST_AUTO_TEST_SUITE_END()
