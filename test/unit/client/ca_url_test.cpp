// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/ca_url.hpp"
#include "client/client_error.hpp"

#include <boost/test/unit_test.hpp>

using namespace lacme::client;

BOOST_AUTO_TEST_SUITE(ca_url)

const std::string dir = "https://ca.example:14000/dir";

BOOST_AUTO_TEST_CASE(same_and_other_origin_are_both_allowed)
{
    BOOST_TEST((check_ca_url(dir, "https://ca.example:14000/order/1") == url_origin::same));
    BOOST_TEST((check_ca_url(dir, "HTTPS://CA.example:14000/x") == url_origin::same));
    BOOST_TEST((check_ca_url(dir, "https://cdn.example/cert/1") == url_origin::other));
    BOOST_TEST((check_ca_url(dir, "https://ca.example/order/1") == url_origin::other));
}

BOOST_AUTO_TEST_CASE(plain_http_from_an_https_directory_is_refused)
{
    BOOST_CHECK_THROW(check_ca_url(dir, "http://ca.example:14000/order/1"), acme_error);
    BOOST_CHECK_THROW(check_ca_url(dir, "HTTP://ca.example/x"), acme_error);
    // A plain-http directory (a test CA) may hand out http and https URLs.
    BOOST_TEST((check_ca_url("http://127.0.0.1/dir", "http://127.0.0.1/x") == url_origin::same));
    BOOST_TEST((check_ca_url("http://127.0.0.1/dir", "https://127.0.0.1/x") == url_origin::other));
}

BOOST_AUTO_TEST_CASE(anything_but_absolute_http_urls_is_refused)
{
    for (const char* url : {"file:///etc/passwd", "ftp://ca.example/x", "/cert/1", "cert/1", "", "://x", "ht tp://x/",
                            "javascript:alert(1)", "gopher://ca.example:70/"})
        BOOST_CHECK_THROW(check_ca_url(dir, url), acme_error);
}

BOOST_AUTO_TEST_CASE(the_refusal_is_one_printable_line)
{
    try {
        check_ca_url(dir, "http://x/\x1b[31m\n");
        BOOST_FAIL("accepted");
    } catch (const acme_error& e) {
        for (const char c : std::string(e.what()))
            BOOST_TEST(static_cast<unsigned char>(c) >= 0x20);
    }
}

BOOST_AUTO_TEST_SUITE_END()
