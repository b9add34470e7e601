// SPDX-License-Identifier: GPL-3.0-or-later
// acme_session against canned CA responses (test/unit/client/canned_ca.hpp).
#include "canned_ca.hpp"

#include "client/client_error.hpp"

#include <boost/test/unit_test.hpp>

using namespace lacme::client;
using namespace lacme::client::test;

BOOST_AUTO_TEST_SUITE(acme_session_requests)

// Issue 9: more requests than the nonce pool keeps (32) asked for that many nonces at once and
// failed with "no nonce from the CA".
BOOST_AUTO_TEST_CASE(more_requests_than_the_nonce_pool_go_in_rounds)
{
    canned_ca fake;
    std::vector<signed_post> requests;
    for (int i = 0; i < 100; ++i) {
        const std::string url = ca + "/authz/" + std::to_string(i);
        fake.http.answer("POST " + url, canned_json(200, {{"status", "valid"}}));
        requests.push_back({.url = url});
    }
    const auto responses = fake.session.post_all(requests);
    BOOST_TEST(responses.size() == 100u);
    for (const auto& r : responses)
        BOOST_TEST(r.success());
    // At most one newNonce per request of the first round (the directory's answer brought one);
    // later rounds use the nonces of the earlier rounds' answers.
    BOOST_TEST(fake.http.count("HEAD " + ca + "/nonce") <= static_cast<long>(nonce_pool::capacity));
}

BOOST_AUTO_TEST_CASE(no_request_to_a_url_the_rule_refuses)
{
    canned_ca fake;
    for (const std::string url : {"http://ca.test/order", "file:///etc/passwd", "/order"}) {
        BOOST_CHECK_THROW(fake.session.post({.url = url}), acme_error);
        BOOST_CHECK_THROW(fake.session.get(url, "x"), acme_error);
        BOOST_TEST(fake.http.count("POST " + url) == 0);
        BOOST_TEST(fake.http.count("GET " + url) == 0);
    }
}

// Issue 23 item 1: `timeout` bounds polling only. Each request is bounded by its own limit (a CA
// slow to answer is waited for, a dead one is not) and never beyond the run's deadline.
BOOST_AUTO_TEST_CASE(each_request_is_bounded_by_the_request_limit_and_the_run_deadline)
{
    using namespace std::chrono_literals;
    canned_ca fake;
    fake.http.answer("GET " + ca + "/order/1", canned_json(200, {{"status", "valid"}}));
    BOOST_TEST(fake.session.get(ca + "/order/1", "order").success());
    BOOST_TEST(fake.http.timeouts.back() == std::chrono::milliseconds(120s));

    fake.session.set_retry_limits({.request_timeout = 7s});
    BOOST_TEST(fake.session.get(ca + "/order/1", "order").success());
    BOOST_TEST(fake.http.timeouts.back() == std::chrono::milliseconds(7s));

    fake.session.set_deadline(deadline::after(2s));
    BOOST_TEST(fake.session.get(ca + "/order/1", "order").success());
    BOOST_TEST(fake.http.timeouts.back() <= std::chrono::milliseconds(2s));

    fake.session.set_deadline(deadline::after(0ms));
    BOOST_CHECK_THROW(fake.session.get(ca + "/order/1", "order"), std::exception);
}

BOOST_AUTO_TEST_SUITE_END()
