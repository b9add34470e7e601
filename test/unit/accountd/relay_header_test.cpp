// SPDX-License-Identifier: GPL-3.0-or-later
// The relay header (accountd/relay/relay_header.hpp): what lacme-accountd --relay sends, and
// everything else the daemon must refuse.
#include "accountd/relay/relay_header.hpp"

#include "test/unit/ssh/ssh_test_keys.hpp"

#include <boost/test/unit_test.hpp>

using lacme::accountd::format_relay_header;
using lacme::accountd::is_listener_name;
using lacme::accountd::max_relay_header;
using lacme::accountd::parse_relay_header;
using lacme::accountd::relay_header;
using lacme::test::ed25519_key;

namespace {

std::string without_newline(std::string line)
{
    BOOST_REQUIRE(line.ends_with('\n'));
    line.pop_back();
    return line;
}

std::string refusal_of(std::string_view line)
{
    const auto result = parse_relay_header(line);
    BOOST_TEST(!result.header);
    return result.refusal;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(relay_header_line)

BOOST_AUTO_TEST_CASE(round_trip_with_address_and_key)
{
    const relay_header header{"web1", {"192.0.2.7 40022", std::string(ed25519_key)}};
    const std::string line = format_relay_header(header);
    BOOST_TEST(line == "lacme-relay 1 web1 192.0.2.7 40022 " + std::string(ed25519_key) + "\n");
    const auto parsed = parse_relay_header(without_newline(line));
    BOOST_REQUIRE(parsed.header);
    BOOST_TEST(parsed.header->listener == "web1");
    BOOST_TEST(parsed.header->caller.address == "192.0.2.7 40022");
    BOOST_TEST(parsed.header->caller.key == ed25519_key);
}

BOOST_AUTO_TEST_CASE(unknown_address_and_key_are_dashes)
{
    const std::string line = format_relay_header({"web-2.example_org", {}});
    BOOST_TEST(line == "lacme-relay 1 web-2.example_org - - - -\n");
    const auto parsed = parse_relay_header(without_newline(line));
    BOOST_REQUIRE(parsed.header);
    BOOST_TEST(parsed.header->caller.address.empty());
    BOOST_TEST(parsed.header->caller.key.empty());
    // An IPv6 caller, no key.
    const auto v6 = parse_relay_header("lacme-relay 1 web1 2001:db8::1 22 - -");
    BOOST_REQUIRE(v6.header);
    BOOST_TEST(v6.header->caller.address == "2001:db8::1 22");
}

BOOST_AUTO_TEST_CASE(listener_names)
{
    BOOST_TEST(is_listener_name("web1"));
    BOOST_TEST(is_listener_name(std::string(64, 'a')));
    BOOST_TEST(!is_listener_name(std::string(65, 'a')));
    BOOST_TEST(!is_listener_name(""));
    BOOST_TEST(!is_listener_name("-"));
    BOOST_TEST(!is_listener_name(".hidden"));
    BOOST_TEST(!is_listener_name("a/b"));
    BOOST_TEST(!is_listener_name("a b"));
    BOOST_TEST(!is_listener_name(std::string_view("a\0b", 3)));
    BOOST_CHECK_THROW((void)format_relay_header({"../x", {}}), std::exception);
}

BOOST_AUTO_TEST_CASE(malformed_headers_are_refused)
{
    BOOST_TEST(refusal_of("") == "not a relay header");
    BOOST_TEST(refusal_of("1 OK {}") == "not a relay header");
    BOOST_TEST(refusal_of("lacme-relay 2 web1 - - - -") == "unsupported relay header version");
    BOOST_TEST(refusal_of("lacme-relay 1 web1 - - -") == "malformed relay header");
    BOOST_TEST(refusal_of("lacme-relay 1 web1 - - - - extra") == "malformed relay header");
    BOOST_TEST(refusal_of("lacme-relay 1 web1  - - - -") == "malformed relay header");
    BOOST_TEST(refusal_of("lacme-relay 1 web1 - - - -\r") == "invalid caller key in relay header");
    BOOST_TEST(refusal_of("lacme-relay 1 ../etc - - - -") == "invalid listener name in relay header");
    BOOST_TEST(refusal_of("lacme-relay 1 web1 example.org 22 - -") == "invalid caller address in relay header");
    BOOST_TEST(refusal_of("lacme-relay 1 web1 192.0.2.1 0 - -") == "invalid caller address in relay header");
    BOOST_TEST(refusal_of("lacme-relay 1 web1 192.0.2.1 - - -") == "invalid caller address in relay header");
    BOOST_TEST(refusal_of("lacme-relay 1 web1 - - ssh-ed25519 AAAA") == "invalid caller key in relay header");
    BOOST_TEST(refusal_of("lacme-relay 1 web1 - - - AAAA") == "invalid caller key in relay header");
    BOOST_TEST(refusal_of(std::string_view("lacme-relay 1 web1\0 - - - -", 27)) ==
               "invalid listener name in relay header");
    BOOST_TEST(refusal_of("lacme-relay 1 web1 - - - - " + std::string(max_relay_header, 'x')) ==
               "relay header too long");
}

BOOST_AUTO_TEST_SUITE_END()
