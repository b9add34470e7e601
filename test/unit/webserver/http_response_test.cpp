// SPDX-License-Identifier: GPL-3.0-or-later
#include "webserver/http_response.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using lacme::web::append_response;
using lacme::web::http_response;

BOOST_AUTO_TEST_SUITE(http_response_suite)

BOOST_AUTO_TEST_CASE(ok_with_body)
{
    std::string out;
    http_response r;
    r.status = 200;
    r.body = "abc";
    r.keep_alive = true;
    append_response(out, r);
    BOOST_TEST(out == "HTTP/1.1 200 OK\r\nServer: lacme-webserver\r\nContent-Type: text/plain\r\n"
                      "Cache-Control: no-store\r\nContent-Length: 3\r\n\r\nabc");
}

BOOST_AUTO_TEST_CASE(head_has_length_but_no_body)
{
    std::string out;
    http_response r;
    r.status = 200;
    r.body = "abcdef";
    r.head = true;
    append_response(out, r);
    BOOST_TEST(out.find("Content-Length: 6\r\n") != std::string::npos);
    BOOST_TEST(out.ends_with("Connection: close\r\n\r\n"));
}

BOOST_AUTO_TEST_CASE(errors_405_and_http10_keep_alive)
{
    std::string out;
    http_response r;
    r.status = 405;
    r.keep_alive = true;
    r.http10_keep_alive = true;
    r.date = "Mon, 23 Nov 2026 15:16:10 GMT";
    append_response(out, r);
    BOOST_TEST(out == "HTTP/1.1 405 Method Not Allowed\r\nServer: lacme-webserver\r\n"
                      "Date: Mon, 23 Nov 2026 15:16:10 GMT\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\n"
                      "Connection: keep-alive\r\n\r\n");
}

BOOST_AUTO_TEST_SUITE_END()
