// SPDX-License-Identifier: GPL-3.0-or-later
// The steps of newOrder against canned CA responses (test/unit/client/canned_ca.hpp).
#include "canned_ca.hpp"

#include "client/client_error.hpp"
#include "client/challenge_files.hpp"
#include "client/order_steps.hpp"

#include "test/support/stderr_capture.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>

using namespace lacme::client;
using namespace lacme::client::test;
using namespace std::chrono_literals;

namespace {

nlohmann::json order_json(const std::string& status, nlohmann::json extra = nlohmann::json::object())
{
    nlohmann::json o = {{"status", status},
                        {"identifiers", {{{"type", "dns"}, {"value", "a.test"}}}},
                        {"authorizations", {ca + "/authz/1", ca + "/authz/2"}},
                        {"finalize", ca + "/finalize"}};
    o.update(extra);
    return o;
}

nlohmann::json authz_json(const std::string& status, const std::string& name, const std::string& challenge_url)
{
    return {{"status", status},
            {"identifier", {{"type", "dns"}, {"value", name}}},
            {"challenges",
             {{{"type", "http-01"},
               {"status", "pending"},
               {"token", "tok-" + name.substr(0, name.find('.'))},
               {"url", challenge_url}}}}};
}

placed_order placed(const std::string& status)
{
    return {ca + "/order/1", order_json(status), canned_json(201, order_json(status))};
}

const nlohmann::json not_ready = {{"type", "urn:ietf:params:acme:error:orderNotReady"}};

}  // namespace

BOOST_AUTO_TEST_SUITE(order_steps)

BOOST_AUTO_TEST_CASE(place_order_returns_the_order_and_its_url)
{
    canned_ca fake;
    fake.http.answer("POST " + ca + "/order", canned_json(201, order_json("pending"), {{"location", ca + "/order/1"}}));
    order_request request{.names = {"a.test", "127.0.0.1"}, .csr_der = "csr", .replaces = "id", .preferred_chain = {}};
    const placed_order order = place_order(fake.session, request);
    BOOST_TEST(order.url == ca + "/order/1");
    BOOST_TEST(order.body["status"] == "pending");
    BOOST_TEST(fake.http.count("POST " + ca + "/order") == 1);

    canned_ca no_location;
    no_location.http.answer("POST " + ca + "/order", canned_json(201, order_json("pending")));
    BOOST_CHECK_THROW(place_order(no_location.session, request), acme_error);
}

BOOST_AUTO_TEST_CASE(authorize_all_answers_pending_challenges_only)
{
    temp_cwd cwd;
    canned_ca fake;
    fake.http.answer("POST " + ca + "/authz/1", canned_json(200, authz_json("valid", "a.test", ca + "/chall/1")));
    fake.http.answer("POST " + ca + "/authz/2", canned_json(200, authz_json("pending", "b.test", ca + "/chall/2")));
    fake.http.answer("POST " + ca + "/chall/2", canned_json(200, {{"status", "processing"}}));
    challenge_files files(fake.log);
    const authorization_work work = authorize_all(fake.session, order_json("pending"), files);
    BOOST_TEST(work.challenges_posted);
    BOOST_REQUIRE(work.answered.size() == 1u);
    BOOST_TEST(work.answered[0].url == ca + "/authz/2");
    BOOST_TEST(fake.http.count("POST " + ca + "/chall/1") == 0);
    BOOST_TEST(fake.http.count("POST " + ca + "/chall/2") == 1);
    std::ifstream file("tok-b");
    std::string key_authorization;
    std::getline(file, key_authorization);
    BOOST_TEST(key_authorization == "tok-b.thumb");
}

BOOST_AUTO_TEST_CASE(authorize_all_refuses_a_challenge_url_before_writing_its_file)
{
    temp_cwd cwd;
    for (const std::string url : {"http://ca.test/chall/2", "file:///etc/passwd", "/chall/2"}) {
        canned_ca fake;
        fake.http.answer("POST " + ca + "/authz/1", canned_json(200, authz_json("valid", "a.test", ca + "/chall/1")));
        fake.http.answer("POST " + ca + "/authz/2", canned_json(200, authz_json("pending", "b.test", url)));
        {
            challenge_files files(fake.log);
            BOOST_CHECK_THROW(authorize_all(fake.session, order_json("pending"), files), acme_error);
        }
        BOOST_TEST(cwd.files().empty());
        BOOST_TEST(fake.http.count("POST " + url) == 0);
    }
}

BOOST_AUTO_TEST_CASE(finalize_early_then_poll_until_valid)
{
    canned_ca fake;
    fake.http.answer("POST " + ca + "/finalize", canned_json(403, not_ready, {{"retry-after", "0"}}));
    fake.http.answer("POST " + ca + "/finalize",
                     canned_json(200, order_json("valid", {{"certificate", ca + "/cert/1"}})));
    fake.http.answer("POST " + ca + "/order/1", canned_json(200, order_json("pending"), {{"retry-after", "0"}}));
    fake.http.answer("POST " + ca + "/order/1", canned_json(200, order_json("ready")));
    tracked_order order(fake.session, placed("pending"), "a.test");
    const signed_post finalize = finalize_request(order_json("pending"), "csr");
    BOOST_TEST(!order.try_finalize(finalize));
    order.poll_while({"pending"});
    BOOST_TEST(order.status() == "ready");
    order.finalize(finalize);
    order.poll_while({"ready", "processing"});
    BOOST_TEST(order.certificate_url() == ca + "/cert/1");
    BOOST_TEST(fake.http.count("POST " + ca + "/finalize") == 2);
    BOOST_TEST(fake.http.count("POST " + ca + "/order/1") == 2);
}

// Issue 23: `timeout` bounds the pauses of each wait (lacme 0.8's polling limit), whatever the
// run's deadline; it used to be only the run's deadline.
BOOST_AUTO_TEST_CASE(timeout_limits_the_pauses_of_a_wait)
{
    const auto start = std::chrono::steady_clock::now();
    canned_ca fake;
    fake.config.timeout = 1s;
    // A deadline far beyond the timeout, so that a loaded machine cannot blur the two.
    fake.session.set_deadline(deadline::after(30s));
    fake.http.answer("POST " + ca + "/order/1", canned_json(200, order_json("pending"), {{"retry-after", "0"}}));
    tracked_order order(
        fake.session,
        {ca + "/order/1", order_json("pending"), canned_json(200, order_json("pending"), {{"retry-after", "0"}})},
        "a.test");
    BOOST_CHECK_EXCEPTION(order.poll_while({"pending"}), acme_error, [](const acme_error& e) {
        return std::string(e.what()).find("timeout = 1 s of polling") != std::string::npos;
    });
    BOOST_TEST((std::chrono::steady_clock::now() - start < 15s));
}

// Issue 9: Retry-After: 10000000000 overflowed the deadline check and the client slept for
// centuries; a date in year 9999 must end the same way, at the deadline.
BOOST_AUTO_TEST_CASE(huge_retry_after_ends_at_the_deadline)
{
    for (const std::string value : {"10000000000", "Fri, 31 Dec 9999 23:59:59 GMT"}) {
        const auto start = std::chrono::steady_clock::now();
        {  // order polling
            canned_ca fake;
            fake.session.set_deadline(deadline::after(1s));
            fake.http.answer("POST " + ca + "/order/1",
                             canned_json(200, order_json("pending"), {{"retry-after", value}}));
            tracked_order order(fake.session,
                                {ca + "/order/1", order_json("pending"),
                                 canned_json(200, order_json("pending"), {{"retry-after", value}})},
                                "a.test");
            BOOST_CHECK_EXCEPTION(order.poll_while({"pending"}), acme_error, [](const acme_error& e) {
                return std::string(e.what()).find("timeout exceeded") != std::string::npos;
            });
        }
        {  // finalize's orderNotReady
            canned_ca fake;
            fake.session.set_deadline(deadline::after(1s));
            fake.http.answer("POST " + ca + "/finalize", canned_json(403, not_ready, {{"retry-after", value}}));
            tracked_order order(fake.session, placed("pending"), "a.test");
            BOOST_CHECK_THROW(order.try_finalize(finalize_request(order_json("pending"), "csr")), acme_error);
        }
        {  // certificate download
            canned_ca fake;
            fake.session.set_deadline(deadline::after(1s));
            fake.http.answer("POST " + ca + "/cert/1", canned(202, "", {{"retry-after", value}}));
            BOOST_CHECK_THROW(download_chain(fake.session, ca + "/cert/1", ""), acme_error);
        }
        BOOST_TEST((std::chrono::steady_clock::now() - start < 3s));
    }
}

BOOST_AUTO_TEST_CASE(an_invalid_order_says_why_from_its_authorizations)
{
    canned_ca fake;
    nlohmann::json failed = authz_json("invalid", "b.test", ca + "/chall/2");
    failed["challenges"][0]["error"] = {{"type", "urn:ietf:params:acme:error:unauthorized"},
                                        {"detail", "404 from b.test"}};
    fake.http.answer("POST " + ca + "/authz/2", canned_json(200, failed));
    tracked_order order(fake.session, placed("invalid"), "a.test, b.test");
    authorization_work work;
    work.answered.push_back({.url = ca + "/authz/2"});
    BOOST_CHECK_EXCEPTION(order.fail_if_invalid(work), acme_error, [](const acme_error& e) {
        return std::string(e.what()) == "authorization for b.test is invalid: http-01 unauthorized: 404 from b.test";
    });
    tracked_order unexpected(fake.session, placed("deactivated"), "a.test");
    BOOST_CHECK_THROW((void)unexpected.certificate_url(), acme_error);
}

BOOST_AUTO_TEST_CASE(download_waits_out_202_and_picks_the_preferred_alternate)
{
    canned_ca fake;
    const std::string default_chain = self_signed_pem("Default Root");
    const std::string other_chain = self_signed_pem("Other Root");
    fake.http.answer("POST " + ca + "/cert/1", canned(202, "", {{"retry-after", "0"}}));
    fake.http.answer("POST " + ca + "/cert/1",
                     canned(200, default_chain, {{"link", "<" + ca + "/cert/1/1>;rel=\"alternate\""}}));
    fake.http.answer("POST " + ca + "/cert/1/1", canned(200, other_chain));
    BOOST_TEST(download_chain(fake.session, ca + "/cert/1", "Other Root") == other_chain);
    BOOST_TEST(download_chain(fake.session, ca + "/cert/1", "") == default_chain);
    BOOST_TEST(fake.http.count("POST " + ca + "/cert/1") == 3);
}

// Issue 9: a broken alternate link threw away the certificate the CA had just issued.
BOOST_AUTO_TEST_CASE(broken_alternates_fall_back_to_the_default_chain)
{
    canned_ca fake;
    const std::string default_chain = self_signed_pem("Default Root");
    fake.http.answer("POST " + ca + "/cert/1", canned(200, default_chain,
                                                      {{"link", "</cert/relative>;rel=\"alternate\""},
                                                       {"link", "<http://ca.test/cert/plain>;rel=\"alternate\""},
                                                       {"link", "<ftp://ca.test/cert/ftp>;rel=\"alternate\""}}));
    lacme::test::stderr_capture captured;
    BOOST_TEST(download_chain(fake.session, ca + "/cert/1", "Other Root") == default_chain);
    BOOST_TEST(fake.http.sent.back() == "POST " + ca + "/cert/1");  // nothing sent to the broken links

    fake.http.answer("POST " + ca + "/cert/2",
                     canned(200, default_chain, {{"link", "<https://elsewhere.test/alt>;rel=\"alternate\""}}));
    fake.http.fail("POST https://elsewhere.test/alt");
    BOOST_TEST(download_chain(fake.session, ca + "/cert/2", "Other Root") == default_chain);
    const std::string log = captured.text();
    BOOST_TEST(log.find("Warning: ignoring an alternate chain: refusing the CA's URL '/cert/relative'") !=
               std::string::npos);
    BOOST_TEST(log.find("refusing the CA's plain http URL 'http://ca.test/cert/plain'") != std::string::npos);
    BOOST_TEST(log.find("'ftp://ca.test/cert/ftp'") != std::string::npos);
    BOOST_TEST(log.find("Warning: ignoring the alternate chains: can't POST https://elsewhere.test/alt") !=
               std::string::npos);
    BOOST_TEST(log.find("Warning: no chain issued by 'Other Root'; using the CA's default chain") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
