// SPDX-License-Identifier: GPL-3.0-or-later
#include "webserver/challenge_route.hpp"

#include <boost/test/unit_test.hpp>

using lacme::web::challenge_route;
using lacme::web::route_request;
using kind = challenge_route::kind;

BOOST_AUTO_TEST_SUITE(challenge_route_suite)

BOOST_AUTO_TEST_CASE(serves_tokens_for_get_and_head)
{
    auto r = route_request("GET", "/.well-known/acme-challenge/Ab-_09");
    BOOST_TEST((r.what == kind::serve));
    BOOST_TEST(r.token == "Ab-_09");
    BOOST_TEST(!r.head);
    r = route_request("HEAD", "/.well-known/acme-challenge/tok");
    BOOST_TEST((r.what == kind::serve));
    BOOST_TEST(r.head);
}

BOOST_AUTO_TEST_CASE(absolute_form_targets)
{
    auto r = route_request("GET", "http://example.org/.well-known/acme-challenge/tok");
    BOOST_TEST((r.what == kind::serve));
    BOOST_TEST(r.token == "tok");
    r = route_request("GET", "HTTPS://example.org:8443/.well-known/acme-challenge/tok");
    BOOST_TEST((r.what == kind::serve));
    BOOST_TEST((route_request("GET", "http://example.org").what == kind::not_found));
    BOOST_TEST((route_request("GET", "ftp://example.org/.well-known/acme-challenge/tok").what == kind::bad_request));
    BOOST_TEST((route_request("GET", "*").what == kind::bad_request));
}

BOOST_AUTO_TEST_CASE(other_methods_are_405)
{
    for (const char* m : {"POST", "PUT", "DELETE", "OPTIONS", "get", "CONNECT", "TRACE", "PATCH"}) {
        BOOST_TEST_INFO(m);
        BOOST_TEST((route_request(m, "/.well-known/acme-challenge/tok").what == kind::method_not_allowed));
    }
    BOOST_TEST((route_request("OPTIONS", "*").what == kind::method_not_allowed));
}

BOOST_AUTO_TEST_CASE(no_traversal_no_decoding_no_queries)
{
    for (const char* t : {
             "/.well-known/acme-challenge/",
             "/.well-known/acme-challenge/..",
             "/.well-known/acme-challenge/../../etc/passwd",
             "/.well-known/acme-challenge/%2e%2e",
             "/.well-known/acme-challenge/a%2fb",
             "/.well-known/acme-challenge/%74ok",
             "/.well-known/acme-challenge/tok?x=1",
             "/.well-known/acme-challenge/tok#frag",
             "/.well-known/acme-challenge/tok/",
             "/.well-known/acme-challenge//tok",
             "/.well-known/acme-challenge/a.b",
             "/.well-known/acme-challenge/a/b",
             "/.well-known/./acme-challenge/tok",
             "/.well-known/acme-challenge/../acme-challenge/tok",
             "//.well-known/acme-challenge/tok",
             "/.WELL-KNOWN/acme-challenge/tok",
             "/",
             "/etc/passwd",
         }) {
        BOOST_TEST_INFO(t);
        BOOST_TEST((route_request("GET", t).what == kind::not_found));
    }
    const std::string long_token = "/.well-known/acme-challenge/" + std::string(256, 'a');
    BOOST_TEST((route_request("GET", long_token).what == kind::not_found));
    const std::string max_token = "/.well-known/acme-challenge/" + std::string(255, 'a');
    BOOST_TEST((route_request("GET", max_token).what == kind::serve));
}

BOOST_AUTO_TEST_SUITE_END()
