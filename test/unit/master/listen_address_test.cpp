// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/listen_address.hpp"

#include "common/error.hpp"
#include "test/support/error_message.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>

using namespace lacme::master;

BOOST_AUTO_TEST_SUITE(master_listen_address)

BOOST_AUTO_TEST_CASE(forms_of_lacme)
{
    const auto v4 = parse_listen_address("127.0.0.1:8080");
    BOOST_TEST(v4.family() == AF_INET);
    BOOST_TEST(v4.port == 8080);
    BOOST_TEST(v4.text == "127.0.0.1:8080");
    const auto v4_default = parse_listen_address("0.0.0.0");
    BOOST_TEST(v4_default.port == 80);
    const auto v6 = parse_listen_address("[::1]:81");
    BOOST_TEST(v6.family() == AF_INET6);
    BOOST_TEST(v6.host == "::1");
    BOOST_TEST(v6.text == "[::1]:81");
    BOOST_TEST(parse_listen_address("[::]").port == 80);
    const auto unix_socket = parse_listen_address("/run/lacme-www.socket");
    BOOST_TEST(unix_socket.family() == AF_UNIX);
    BOOST_TEST(unix_socket.text == "/run/lacme-www.socket");
}

// lacme opens the IPv4 side of a dual-stack socket in iptables too.
BOOST_AUTO_TEST_CASE(ipv4_side_of_ipv6_addresses)
{
    const auto any = ipv4_side(parse_listen_address("[::]:8080"));
    BOOST_REQUIRE(any.has_value());
    BOOST_TEST(any->family() == AF_INET);
    BOOST_TEST(any->host == "0.0.0.0");
    BOOST_TEST(any->port == 8080);
    const auto mapped = ipv4_side(parse_listen_address("[::ffff:192.0.2.7]"));
    BOOST_REQUIRE(mapped.has_value());
    BOOST_TEST(mapped->text == "192.0.2.7:80");
    BOOST_TEST(!ipv4_side(parse_listen_address("[::1]:80")).has_value());
    BOOST_TEST(!ipv4_side(parse_listen_address("127.0.0.1:80")).has_value());
}

BOOST_AUTO_TEST_CASE(anything_else_is_refused)
{
    for (const char* bad : {"localhost:80", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:", "[::1", "[::1]x",
                            "[nothex]:80", "relative/path", "1.2.3:80", ""})
        BOOST_CHECK_THROW(parse_listen_address(bad), lacme::error);
    BOOST_CHECK_THROW(parse_listen_address("/" + std::string(200, 'a')), lacme::error);
}

// Found by fuzz_listen_address: inet_pton and the socket path stopped at a NUL, so
// "127.0.0.1\0junk" listened on 127.0.0.1 with the junk in its printed name.
BOOST_AUTO_TEST_CASE(a_nul_byte_is_refused_and_the_error_stays_printable)
{
    using namespace std::string_literals;
    for (const auto& bad : {"127.0.0.1\0junk"s, "[::1\0x]:80"s, "127.0.0.1:80\0"s, "/run/lacme\0.socket"s}) {
        try {
            (void)parse_listen_address(bad);
            BOOST_ERROR("accepted: " << bad.size() << " bytes");
        } catch (const lacme::error& e) {
            BOOST_TEST(std::string_view(e.what()).find('\0') == std::string_view::npos);
        }
    }
    const std::string message = lacme::test::error_message([] { (void)parse_listen_address("bad\nline"); });
    BOOST_TEST(message == "invalid listen address: bad\\x0aline");
}

BOOST_AUTO_TEST_SUITE_END()
