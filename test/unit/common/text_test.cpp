// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/text.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using lacme::ascii_lower;
using lacme::printable_for_log;
using lacme::trim;

BOOST_AUTO_TEST_SUITE(text)

BOOST_AUTO_TEST_CASE(trim_removes_ascii_white_space_at_both_ends_only)
{
    BOOST_TEST(trim(" \t\r\n\v\fa b\t \r\n") == "a b");
    BOOST_TEST(trim("a") == "a");
    BOOST_TEST(trim(" \t ").empty());
    BOOST_TEST(trim("").empty());
    BOOST_TEST(trim("\xa0x\xa0") == "\xa0x\xa0");  // no locale: a non-breaking space byte stays
}

BOOST_AUTO_TEST_CASE(ascii_lower_changes_only_a_to_z)
{
    BOOST_TEST(ascii_lower("Content-TYPE: X") == "content-type: x");
    BOOST_TEST(ascii_lower("\xc3\x89@[`{") == "\xc3\x89@[`{");
    BOOST_TEST(ascii_lower("").empty());
}

BOOST_AUTO_TEST_CASE(hex_lower_gives_two_digits_per_byte)
{
    const std::uint8_t bytes[] = {0x00, 0x02, 0x9c, 0xff};
    BOOST_TEST(lacme::hex_lower(bytes) == "00029cff");
    BOOST_TEST(lacme::hex_lower({}).empty());
}

BOOST_AUTO_TEST_CASE(printable_for_log_keeps_printable_ascii)
{
    BOOST_TEST(printable_for_log("urn:ietf:params:acme:error:badNonce ~!") == "urn:ietf:params:acme:error:badNonce ~!");
}

// A peer must not be able to start a forged line or send a terminal escape.
BOOST_AUTO_TEST_CASE(printable_for_log_escapes_controls_del_non_ascii_and_backslash)
{
    BOOST_TEST(printable_for_log("a\n[9] SIGNED x") == "a\\x0a[9] SIGNED x");
    BOOST_TEST(printable_for_log("\x1b]0;pwned\x07") == "\\x1b]0;pwned\\x07");
    BOOST_TEST(printable_for_log(std::string("\0\r\t\x7f", 4)) == "\\x00\\x0d\\x09\\x7f");
    BOOST_TEST(printable_for_log("caf\xc3\xa9") == "caf\\xc3\\xa9");
    BOOST_TEST(printable_for_log("\\x0a") == "\\\\x0a");  // an escape in the input stays distinguishable
}

BOOST_AUTO_TEST_CASE(printable_for_log_truncates_with_a_marker_and_never_splits_an_escape)
{
    BOOST_TEST(printable_for_log(std::string(1000, 'a'), 10) == "aaaaaaaaaa...[truncated]");
    BOOST_TEST(printable_for_log("abcdefghij", 10) == "abcdefghij");
    BOOST_TEST(printable_for_log("abcdefgh\n", 10) == "abcdefgh...[truncated]");
    BOOST_TEST(printable_for_log("\n", 0) == "...[truncated]");
}

BOOST_AUTO_TEST_SUITE_END()
