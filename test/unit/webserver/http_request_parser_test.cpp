// SPDX-License-Identifier: GPL-3.0-or-later
#include "webserver/http_request_parser.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using lacme::web::http_request_parser;
using state = http_request_parser::state;

namespace {

// Feeds everything at once; returns the final state.
state parse_all(http_request_parser& p, std::string_view data)
{
    return p.feed(data).st;
}

int error_of(std::string_view data)
{
    http_request_parser p;
    const auto st = parse_all(p, data);
    BOOST_TEST_INFO("request: " << data);
    BOOST_TEST((st == state::error));
    return p.error_status();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_request_parser_suite)

BOOST_AUTO_TEST_CASE(simple_get)
{
    http_request_parser p;
    const std::string req = "GET /.well-known/acme-challenge/abc HTTP/1.1\r\nHost: example.org\r\n\r\n";
    const auto r = p.feed(req);
    BOOST_TEST((r.st == state::complete));
    BOOST_TEST(r.consumed == req.size());
    BOOST_TEST(p.request().method == "GET");
    BOOST_TEST(p.request().target == "/.well-known/acme-challenge/abc");
    BOOST_TEST(p.request().version_minor == 1);
    BOOST_TEST(p.request().keep_alive);
    BOOST_TEST(!p.request().has_body);
}

BOOST_AUTO_TEST_CASE(keep_alive_defaults_and_connection_header)
{
    http_request_parser p;
    BOOST_TEST((parse_all(p, "GET / HTTP/1.0\r\n\r\n") == state::complete));
    BOOST_TEST(!p.request().keep_alive);
    p.reset();
    BOOST_TEST((parse_all(p, "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") == state::complete));
    BOOST_TEST(p.request().keep_alive);
    p.reset();
    BOOST_TEST((parse_all(p, "GET / HTTP/1.1\r\nConnection: foo, CLOSE\r\n\r\n") == state::complete));
    BOOST_TEST(!p.request().keep_alive);
    p.reset();
    BOOST_TEST((parse_all(p, "GET / HTTP/1.1\r\nconnection:close\r\n\r\n") == state::complete));
    BOOST_TEST(!p.request().keep_alive);
}

BOOST_AUTO_TEST_CASE(one_byte_at_a_time)
{
    const std::string req = "HEAD /x HTTP/1.0\r\nA: b\r\n\r\n";
    http_request_parser p;
    for (std::size_t i = 0; i < req.size(); ++i) {
        const auto r = p.feed(req.substr(i, 1));
        BOOST_TEST(r.consumed == 1u);
        BOOST_TEST((r.st == (i + 1 == req.size() ? state::complete : state::incomplete)));
    }
    BOOST_TEST(p.request().method == "HEAD");
    BOOST_TEST(p.request().target == "/x");
    BOOST_TEST(p.request().version_minor == 0);
}

BOOST_AUTO_TEST_CASE(pipelined_requests_stop_at_head_end)
{
    const std::string first = "GET /a HTTP/1.1\r\n\r\n";
    const std::string second = "GET /b HTTP/1.1\r\n\r\n";
    http_request_parser p;
    const auto r = p.feed(first + second);
    BOOST_TEST((r.st == state::complete));
    BOOST_TEST(r.consumed == first.size());
    BOOST_TEST(p.request().target == "/a");
    p.reset();
    BOOST_TEST((p.feed(std::string_view(second)).st == state::complete));
    BOOST_TEST(p.request().target == "/b");
}

BOOST_AUTO_TEST_CASE(leading_empty_lines_and_bare_lf)
{
    http_request_parser p;
    BOOST_TEST((parse_all(p, "\r\n\nGET /a HTTP/1.1\nHost: x\n\n") == state::complete));
    BOOST_TEST(p.request().target == "/a");
}

BOOST_AUTO_TEST_CASE(bodies_are_detected)
{
    http_request_parser p;
    BOOST_TEST((parse_all(p, "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n") == state::complete));
    BOOST_TEST(p.request().has_body);
    p.reset();
    BOOST_TEST((parse_all(p, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") == state::complete));
    BOOST_TEST(p.request().has_body);
    p.reset();
    BOOST_TEST((parse_all(p, "GET / HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n") == state::complete));
    BOOST_TEST(!p.request().has_body);
}

BOOST_AUTO_TEST_CASE(malformed_requests_are_400)
{
    BOOST_TEST(error_of("GET /.well-known/acme-challenge/x\r\n") == 400);  // HTTP/0.9
    BOOST_TEST(error_of("GET\r\n") == 400);
    BOOST_TEST(error_of("GET  / HTTP/1.1\r\n") == 400);
    BOOST_TEST(error_of("GET / HTTP/1.1 \r\n") == 400);
    BOOST_TEST(error_of("GET / HTTP/1.x\r\n") == 400);
    BOOST_TEST(error_of("GET / http/1.1\r\n") == 400);
    BOOST_TEST(error_of(std::string("GET /a\0b HTTP/1.1\r\n", 20)) == 400);
    BOOST_TEST(error_of(std::string("G\0T / HTTP/1.1\r\n", 16)) == 400);
    BOOST_TEST(error_of("GET /a\rb HTTP/1.1\r\n") == 400);
    BOOST_TEST(error_of("GET / HTTP/1.1\r\r\n") == 400);
    BOOST_TEST(error_of("GET /\x80 HTTP/1.1\r\n") == 400);
    BOOST_TEST(error_of("GET / HTTP/1.1\r\nHost : x\r\n\r\n") == 400);
    BOOST_TEST(error_of("GET / HTTP/1.1\r\nNoColon\r\n\r\n") == 400);
    BOOST_TEST(error_of("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") == 400);  // obs-fold
    BOOST_TEST(error_of(std::string("GET / HTTP/1.1\r\nA: b\0c\r\n\r\n", 27)) == 400);
    BOOST_TEST(error_of("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n") == 400);
    BOOST_TEST(error_of("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") == 400);
    BOOST_TEST(error_of("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") == 400);
    BOOST_TEST(error_of("GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n") == 400);
}

BOOST_AUTO_TEST_CASE(other_versions_are_505)
{
    BOOST_TEST(error_of("GET / HTTP/2.0\r\n") == 505);
    BOOST_TEST(error_of("GET / HTTP/0.9\r\n") == 505);
}

BOOST_AUTO_TEST_CASE(size_limits)
{
    // Request line too long: 414, detected before the line ends.
    BOOST_TEST(error_of("GET /" + std::string(9000, 'a')) == 414);
    // Headers beyond 8 KiB: 431, also without an end of line.
    BOOST_TEST(error_of("GET / HTTP/1.1\r\nX: " + std::string(9000, 'a')) == 431);
    std::string many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 101; ++i)
        many += "A: b\r\n";
    BOOST_TEST(error_of(many + "\r\n") == 431);
    // Empty lines before the request line count too: they cannot keep a connection busy forever.
    std::string blank;
    for (int i = 0; i < 5000; ++i)
        blank += "\r\n";
    BOOST_TEST(error_of(blank) == 414);
}

BOOST_AUTO_TEST_CASE(limit_holds_when_fed_byte_by_byte)
{
    http_request_parser p(64);
    const std::string req = "GET / HTTP/1.1\r\nX: " + std::string(100, 'a');
    state st = state::incomplete;
    for (char c : req) {
        st = p.feed(std::string_view(&c, 1)).st;
        if (st != state::incomplete)
            break;
    }
    BOOST_TEST((st == state::error));
    BOOST_TEST(p.error_status() == 431);
}

BOOST_AUTO_TEST_CASE(feed_after_completion_consumes_nothing)
{
    http_request_parser p;
    BOOST_TEST((parse_all(p, "GET / HTTP/1.1\r\n\r\n") == state::complete));
    const auto r = p.feed("GET /b HTTP/1.1\r\n\r\n");
    BOOST_TEST((r.st == state::complete));
    BOOST_TEST(r.consumed == 0u);
    BOOST_TEST(p.request().target == "/");
}

BOOST_AUTO_TEST_SUITE_END()
