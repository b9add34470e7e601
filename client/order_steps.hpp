// SPDX-License-Identifier: GPL-3.0-or-later
// The steps of newOrder (RFC 8555 §7.4), each a function of its own so that each can be tested
// against canned CA responses; run_order (order_flow.cpp) climbs them in order: place the order,
// authorize all names, finalize, poll until valid, download and choose the chain.
#pragma once

#include "client/acme_session.hpp"
#include "client/challenge_responses.hpp"
#include "client/order_request.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::client {

// newOrder for the request's identifiers (with `replaces` when the CA has ARI): the order object
// and its URL, plus the response it came in (for its Retry-After).
struct placed_order {
    std::string url;
    nlohmann::json body;
    http_response response;
};
placed_order place_order(acme_session& session, const order_request& request);

struct authorization_work {
    // POST-as-GET of each authorization whose challenge was answered: they explain an invalid order.
    std::vector<signed_post> answered;
    bool challenges_posted = false;
};

// Fetches every authorization at once; for each pending one stages the key authorization of its
// challenge of responses' type, publishes them all, then answers all challenges at once. Valid (reused)
// authorizations cost nothing more; any other status ends the order with its reason.
authorization_work authorize_all(acme_session& session, const nlohmann::json& order, challenge_responses& challenges);

// How long to let the CA check the challenges before the first finalize attempt: CAs validate
// each name from several vantage points, often one after the other.
void wait_for_validation(acme_session& session, challenge_responses& responses, const authorization_work& work);

// The order as it progresses: finalize, poll (after Retry-After or backoff, within the
// `timeout` polling limit and the session's deadline), and the verdict.
class tracked_order {
public:
    tracked_order(acme_session& session, placed_order order, std::string names);

    [[nodiscard]] std::string status() const;
    // Finalizes; false (after the CA's pause and one poll) when the CA answers orderNotReady.
    bool try_finalize(const signed_post& finalize);
    // Finalizes; any failure ends the order.
    void finalize(const signed_post& finalize);
    // Polls, pausing before each poll, while the status is one of `statuses`.
    void poll_while(std::initializer_list<std::string_view> statuses);
    // Throws acme_error saying why when the order is invalid (from its authorizations if the
    // order itself does not say).
    void fail_if_invalid(const authorization_work& work) const;
    // The certificate URL of a valid order; acme_error for any other status.
    [[nodiscard]] std::string certificate_url() const;

private:
    void update(http_response response, std::string_view what);
    void pause(const http_response& response);

    acme_session& session_;
    std::string url_;
    nlohmann::json body_;
    http_response response_;
    std::string names_;
    polling_limit validation_;
    polling_limit issuance_;
};

// The finalize request (RFC 8555 §7.4) for the order's CSR.
signed_post finalize_request(const nlohmann::json& order, const std::string& csr_der);

// The certificate chain at `url` (waiting out 202 answers), or the alternate (Link:
// rel="alternate") whose issuer matches `preferred_chain`. A broken alternate only costs a
// warning: the default chain is kept.
std::string download_chain(acme_session& session, const std::string& url, const std::string& preferred_chain);

// The pause before polling again: the CA's Retry-After, clamped to what the deadline allows,
// else the wait's next interval; acme_error "timeout exceeded while waiting for WHAT" when the
// pause would reach the wait's polling limit or pass the session's deadline.
std::chrono::milliseconds poll_delay(const acme_session& session, const http_response& response, polling_limit& wait,
                                     std::string_view what);

}  // namespace lacme::client
