// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/account_command.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using lacme::client::account_json_text;

BOOST_AUTO_TEST_SUITE(account_output)

BOOST_AUTO_TEST_CASE(the_printed_account_is_printable_ascii_and_the_same_json)
{
    // What a hostile CA can put in a string: an escape sequence, DEL, a newline, UTF-8.
    const nlohmann::json account = {{"status", "valid"},
                                    {"contact", {"mailto:a\x1b]0;owned\x07@example.org", "mailto:\x7f\n@b.example"}},
                                    {"orders", "https://ca.example/caf\xc3\xa9"}};
    for (const bool pretty : {false, true}) {
        const std::string text = account_json_text(account, pretty);
        BOOST_TEST(std::all_of(text.begin(), text.end(),
                               [&](char c) { return (c >= 0x20 && c < 0x7f) || (pretty && c == '\n'); }));
        BOOST_TEST(nlohmann::json::parse(text) == account);
    }
    BOOST_TEST(account_json_text(account, false).find("\\u007f") != std::string::npos);
    BOOST_TEST(account_json_text(account, false).find("\\u00e9") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
