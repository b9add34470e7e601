// SPDX-License-Identifier: GPL-3.0-or-later
// newOrders (client/order_batch.hpp) against canned CA responses (test/unit/client/canned_ca.hpp):
// a failing order is its section's answer and the next one is served; the framing's errors end it.
#include "canned_ca.hpp"
#include "client/order_batch.hpp"
#include "common/fd_io.hpp"
#include "common/fd_pair.hpp"
#include "test/support/error_message.hpp"
#include "test/support/stderr_capture.hpp"

#include <boost/test/unit_test.hpp>

using namespace lacme::client;
using namespace lacme::client::test;
using namespace std::chrono_literals;

namespace {

const nlohmann::json valid_order = {{"status", "valid"},
                                    {"identifiers", {{{"type", "dns"}, {"value", "b.test"}}}},
                                    {"authorizations", {ca + "/authz/1"}},
                                    {"finalize", ca + "/finalize"},
                                    {"certificate", ca + "/cert/1"}};

lacme::order_batch_request request_for(const std::string& section, const std::string& name)
{
    return {section, {name}, "csr", {}, std::nullopt};
}

// Serves `input` (request lines) on the session; returns the answer lines, or the fatal error.
struct batch_outcome {
    std::vector<lacme::order_batch_answer> answers;
    std::string fatal;
};
batch_outcome serve(canned_ca& fake, const std::string& input)
{
    lacme::pipe_ends in = lacme::make_pipe(), out = lacme::make_pipe();
    lacme::write_all(in.write.get(), input, "pipe");
    in.write.reset();
    batch_outcome outcome;
    outcome.fatal = lacme::test::error_message(
        [&] { serve_order_batch(fake.session, fake.config, in.read.get(), out.write.get(), 60s); });
    out.write.reset();
    const std::string lines = lacme::read_to_end(out.read.get(), 1 << 20, "pipe");
    for (std::size_t start = 0, end; (end = lines.find('\n', start)) != std::string::npos; start = end + 1)
        outcome.answers.push_back(lacme::parse_order_batch_answer(lines.substr(start, end - start)));
    return outcome;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(order_batch)

BOOST_AUTO_TEST_CASE(a_failed_order_is_its_answer_and_the_next_one_is_served)
{
    const temp_cwd cwd;
    canned_ca fake;
    const std::string chain = self_signed_pem("b.test");
    fake.http.answer("POST " + ca + "/order",
                     canned_json(400, {{"type", "urn:ietf:params:acme:error:rejectedIdentifier"}, {"detail", "no"}}));
    fake.http.answer("POST " + ca + "/order", canned_json(201, valid_order, {{"location", ca + "/order/1"}}));
    fake.http.answer("POST " + ca + "/authz/1",
                     canned_json(200, {{"status", "valid"},
                                       {"identifier", {{"type", "dns"}, {"value", "b.test"}}},
                                       {"challenges", nlohmann::json::array()}}));
    fake.http.answer("POST " + ca + "/cert/1", canned(200, chain));
    const lacme::test::stderr_capture captured;
    const auto outcome = serve(fake, lacme::format_order_batch_request(request_for("bad", "a.test")) +
                                         lacme::format_order_batch_request(request_for("good", "b.test")));
    BOOST_TEST(outcome.fatal == "<no exception>");  // the end of input ends it
    BOOST_REQUIRE(outcome.answers.size() == 2u);
    BOOST_TEST(outcome.answers[0].section == "bad");
    BOOST_TEST(!outcome.answers[0].chain);
    BOOST_TEST(outcome.answers[0].error.find("rejectedIdentifier") != std::string::npos);
    BOOST_TEST(outcome.answers[1].section == "good");
    BOOST_TEST((outcome.answers[1].chain == chain));
    BOOST_TEST(captured.text().find("Error: ") != std::string::npos);  // as newOrder's stderr would end
    BOOST_TEST(fake.http.count("POST " + ca + "/order") == 2);
}

BOOST_AUTO_TEST_CASE(broken_framing_ends_the_batch)
{
    const temp_cwd cwd;
    canned_ca fake;
    BOOST_TEST(serve(fake, "").fatal == "<no exception>");
    BOOST_TEST(serve(fake, "{\"section\":\"s\"}\n").fatal.find("identifiers") != std::string::npos);
    const auto unterminated = serve(fake, lacme::format_order_batch_request(request_for("s", "a.test")).substr(1));
    BOOST_TEST(unterminated.fatal.find("not a JSON object") != std::string::npos);
    BOOST_TEST(serve(fake, "{\"sect").fatal.find("no line end") != std::string::npos);
    BOOST_TEST(fake.http.count("POST " + ca + "/order") == 0);
}

BOOST_AUTO_TEST_CASE(a_request_names_its_own_chain)
{
    client_config config;
    config.preferred_chain = "Config Root";
    lacme::order_batch_request request = request_for("s", "a.test");
    request.replaces = "ari-id";
    BOOST_TEST(order_of(request, config).preferred_chain == "Config Root");
    request.preferred_chain = "Section Root";
    const order_request order = order_of(request, config);
    BOOST_TEST(order.preferred_chain == "Section Root");
    BOOST_TEST(order.replaces == "ari-id");
    BOOST_TEST(order.csr_der == "csr");
    BOOST_TEST(order.challenge == "http-01");
}

BOOST_AUTO_TEST_SUITE_END()
