// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/order_steps.hpp"

#include "client/ca_url.hpp"
#include "client/client_error.hpp"
#include "client/link_header.hpp"
#include "client/pem_chain.hpp"
#include "client/problem_document.hpp"

#include "common/base64url.hpp"
#include "common/json_member.hpp"
#include "common/text.hpp"

#include <algorithm>

namespace lacme::client {
namespace {

constexpr auto pem_chain_type = "application/pem-certificate-chain";

std::string describe_identifier(const nlohmann::json& authz)
{
    const auto it = authz.find("identifier");
    if (it == authz.end() || !it->is_object())
        return "?";
    std::string name = printable_for_log(string_member(*it, "value"), 120);
    if (const auto w = authz.find("wildcard"); w != authz.end() && w->is_boolean() && w->get<bool>())
        name = "*." + name;
    return name;
}

// Why an authorization failed, from its challenges' "error" members.
std::string authorization_failure(const nlohmann::json& authz)
{
    std::string reason;
    if (const auto chs = authz.find("challenges"); chs != authz.end() && chs->is_array()) {
        for (const auto& ch : *chs) {
            if (!ch.is_object())
                continue;
            if (const auto e = ch.find("error"); e != ch.end())
                if (const auto problem = problem_from_json(*e)) {
                    reason = printable_for_log(string_member(ch, "type"), 30) + " " + problem->one_line();
                    break;
                }
        }
    }
    return "authorization for " + describe_identifier(authz) + " is " +
           printable_for_log(string_member(authz, "status"), 30) + (reason.empty() ? "" : ": " + reason);
}

const nlohmann::json* challenge_of_type(const nlohmann::json& authz, std::string_view type)
{
    const nlohmann::json* challenge = nullptr;
    if (const auto chs = authz.find("challenges"); chs != authz.end() && chs->is_array())
        for (const auto& ch : *chs)
            if (ch.is_object() && string_member(ch, "type") == type)
                challenge = &ch;
    return challenge;
}

std::string identifier_value(const nlohmann::json& authz)
{
    const auto it = authz.find("identifier");
    return it != authz.end() && it->is_object() ? string_member(*it, "value") : std::string();
}

// Stages the key authorization of a pending authorization's challenge; the challenge POST to
// send when the challenge is not already being processed.
std::optional<signed_post> prepare_challenge(acme_session& session, const nlohmann::json& authz,
                                             challenge_responses& responses)
{
    const std::string type(responses.type());
    const nlohmann::json* challenge = challenge_of_type(authz, type);
    if (!challenge)
        throw acme_error("Missing '" + type + "' challenge in server response for '" + describe_identifier(authz) +
                         "'");
    const std::string token = string_member(*challenge, "token");
    // The token becomes a file name in the cwd: nothing but base64url, ever.
    if (token.empty() || token.size() > 256 || !is_base64url_alphabet(token))
        throw acme_error("Invalid challenge token " + printable_for_log(token, 80));
    const std::string url = string_member(*challenge, "url");
    if (url.empty())
        throw acme_error(type + " challenge for " + describe_identifier(authz) + " has no URL");
    // Before the file exists: a URL the client would refuse must not leave a file behind either.
    check_ca_url(session.directory_url(), url);
    responses.stage(identifier_value(authz), token, token + "." + session.accountd().thumbprint());
    const std::string status = string_member(*challenge, "status");
    if (status == "pending" || status.empty())
        return signed_post{.url = url, .payload = nlohmann::json::object()};
    return std::nullopt;
}

}  // namespace

std::chrono::milliseconds poll_delay(const acme_session& session, const http_response& response, polling_limit& wait,
                                     std::string_view what)
{
    const deadline& end = session.current_deadline();
    std::chrono::milliseconds delay = wait.intervals().next();
    // With timeout = 0 a CA still gets at most a day per wait.
    const auto cap = end.remaining(std::chrono::hours(24));
    if (const auto ra = response.header("retry-after"))
        if (const auto parsed = parse_retry_after(*ra, std::chrono::system_clock::now(), cap))
            delay = std::max<std::chrono::milliseconds>(*parsed, std::chrono::milliseconds(100));
    if (!end.allows(delay))
        throw acme_error("timeout exceeded while waiting for " + std::string(what) + " (the run's time limit)");
    if (!wait.spend(delay))
        throw acme_error("timeout exceeded while waiting for " + std::string(what) +
                         " (timeout = " + std::to_string(wait.limit().count()) + " s of polling)");
    session.log().debug(std::string(what) + ": polling again in " + std::to_string(delay.count()) + " ms");
    return delay;
}

placed_order place_order(acme_session& session, const order_request& request)
{
    const acme_directory& dir = session.directory();
    nlohmann::json payload;
    payload["identifiers"] = nlohmann::json::array();
    for (const auto& name : request.names)
        payload["identifiers"].push_back(identifier_for(name));
    if (!request.replaces.empty() && !dir.renewal_info.empty())
        payload["replaces"] = request.replaces;
    http_response r = session.post_ok({.url = dir.new_order, .payload = payload}, "newOrder");
    nlohmann::json order = json_body(r, "newOrder");
    const auto url = r.header("location");
    if (!url || url->empty())
        throw acme_error("newOrder: the CA sent no order URL (Location)");
    if (string_member(order, "finalize").empty())
        throw acme_error("newOrder: the order has no 'finalize' URL");
    return {*url, std::move(order), std::move(r)};
}

authorization_work authorize_all(acme_session& session, const nlohmann::json& order, challenge_responses& challenges)
{
    authorization_work work;
    if (string_member(order, "status") != "pending")
        return work;
    std::vector<signed_post> fetches;
    if (const auto a = order.find("authorizations"); a != order.end() && a->is_array())
        for (const auto& url : *a)
            if (url.is_string())
                fetches.push_back({.url = url.get<std::string>()});
    const auto responses = session.post_all(fetches);

    std::vector<signed_post> answers;
    for (std::size_t i = 0; i < responses.size(); ++i) {
        if (!responses[i].success())
            throw_failure(responses[i], "authorization " + printable_for_log(fetches[i].url, 200));
        const nlohmann::json authz = json_body(responses[i], "authorization");
        const std::string status = string_member(authz, "status");
        if (status == "valid")
            continue;  // reused authorization: no challenge, no signature
        if (status != "pending")
            throw acme_error(authorization_failure(authz));
        if (auto answer = prepare_challenge(session, authz, challenges))
            answers.push_back(std::move(*answer));
        work.answered.push_back(fetches[i]);
    }
    challenges.publish();
    const auto answered = session.post_all(answers);
    for (std::size_t i = 0; i < answered.size(); ++i)
        if (!answered[i].success())
            throw_failure(answered[i], "challenge " + printable_for_log(answers[i].url, 200));
    work.challenges_posted = !answers.empty();
    return work;
}

void wait_for_validation(acme_session& session, challenge_responses& responses, const authorization_work& work)
{
    if (!work.challenges_posted)
        return;
    auto longest = std::min<std::chrono::milliseconds>(
        std::chrono::milliseconds(500) * (1 + static_cast<long>(work.answered.size())), std::chrono::seconds(5));
    longest = std::min(longest, session.current_deadline().remaining(longest));
    responses.wait_for_validation(longest);
}

signed_post finalize_request(const nlohmann::json& order, const std::string& csr_der)
{
    return {.url = string_member(order, "finalize"), .payload = nlohmann::json{{"csr", base64url_encode(csr_der)}}};
}

// The first poll intervals are short: validation (whose fetches were watched before finalizing)
// and issuance on a nearby CA take milliseconds, and doubling reaches a distant CA's seconds in
// a few polls, each of which costs a signature. A CA's Retry-After overrides both.
// cppcheck-suppress passedByValue ; a sink: its members are moved from
tracked_order::tracked_order(acme_session& session, placed_order order, std::string names)
    : session_(session), url_(std::move(order.url)), body_(std::move(order.body)), response_(std::move(order.response)),
      names_(std::move(names)),
      validation_(backoff(std::chrono::milliseconds(100), std::chrono::seconds(8)), session.polling_limit()),
      issuance_(backoff(std::chrono::milliseconds(10), std::chrono::seconds(8)), session.polling_limit())
{}

std::string tracked_order::status() const
{
    return string_member(body_, "status");
}

void tracked_order::update(http_response response, std::string_view what)
{
    body_ = json_body(response, what);
    response_ = std::move(response);
}

void tracked_order::pause(const http_response& response)
{
    const bool validating = status() == "pending";
    sleep_for(poll_delay(session_, response, validating ? validation_ : issuance_,
                         (validating ? "challenges to pass (" : "certificate issuance (") + names_ + ")"));
}

bool tracked_order::try_finalize(const signed_post& finalize)
{
    http_response r = session_.post(finalize);
    if (r.success()) {
        update(std::move(r), "finalize");
        return true;
    }
    const auto problem = parse_problem_document(r.body);
    if (!problem || !problem->is("orderNotReady"))
        throw_failure(r, "finalize");
    // Just learnt it is not ready: the next look is worth nothing before a pause.
    pause(r);
    update(session_.post_ok({.url = url_}, "order"), "order");
    return false;
}

void tracked_order::finalize(const signed_post& finalize)
{
    update(session_.post_ok(finalize, "finalize"), "finalize");
}

void tracked_order::poll_while(std::initializer_list<std::string_view> statuses)
{
    while (std::find(statuses.begin(), statuses.end(), status()) != statuses.end()) {
        pause(response_);
        update(session_.post_ok({.url = url_}, "order"), "order");
    }
}

void tracked_order::fail_if_invalid(const authorization_work& work) const
{
    if (status() != "invalid")
        return;
    if (const auto e = body_.find("error"); e != body_.end())
        if (const auto problem = problem_from_json(*e))
            throw acme_error("order for " + names_ + " is invalid: " + problem->one_line());
    // The order says little; the authorizations say why.
    for (const auto& resp : session_.post_all(work.answered)) {
        const auto authz = nlohmann::json::parse(resp.body, nullptr, false);
        if (resp.success() && authz.is_object() && string_member(authz, "status") != "valid")
            throw acme_error(authorization_failure(authz));
    }
    throw acme_error("order for " + names_ + " is invalid");
}

std::string tracked_order::certificate_url() const
{
    if (status() != "valid")
        throw acme_error("order for " + names_ + " has unexpected status '" + printable_for_log(status(), 30) + "'");
    std::string url = string_member(body_, "certificate");
    if (url.empty())
        throw acme_error("Missing \"certificate\" field in \"valid\" order");
    return url;
}

namespace {

// The chain at `url`, RFC 8555 §7.4.2: a CA may answer 202 until it is ready.
http_response fetch_chain(acme_session& session, const std::string& url)
{
    for (polling_limit wait(backoff(std::chrono::milliseconds(500), std::chrono::seconds(8)), session.polling_limit());
         ;) {
        http_response r = session.post_ok({.url = url, .accept = pem_chain_type}, "certificate download");
        if (r.status != 202) {
            count_pem_certificates(r.body);  // refuses anything but PEM certificates
            return r;
        }
        sleep_for(poll_delay(session, r, wait, "certificate download"));
    }
}

// The first alternate chain issued by `preferred`, if any.
std::optional<std::string> preferred_alternate(acme_session& session, const http_response& chain,
                                               const std::string& preferred)
{
    std::vector<signed_post> alternates;
    for (const auto& url : links_with_rel(chain.headers_named("link"), "alternate")) {
        try {
            check_ca_url(session.directory_url(), url);
            alternates.push_back({.url = url, .accept = pem_chain_type});
        } catch (const acme_error& e) {
            session.log().warning(std::string("ignoring an alternate chain: ") + e.what());
        }
    }
    try {
        for (const auto& alt : session.post_all(alternates))
            if (alt.success() && chain_matches_preferred(alt.body, preferred))
                return alt.body;
    } catch (const lacme::error& e) {
        session.log().warning(std::string("ignoring the alternate chains: ") + e.what());
    }
    return std::nullopt;
}

}  // namespace

std::string download_chain(acme_session& session, const std::string& url, const std::string& preferred_chain)
{
    const http_response chain = fetch_chain(session, url);
    if (preferred_chain.empty() || chain_matches_preferred(chain.body, preferred_chain))
        return chain.body;
    if (auto alternate = preferred_alternate(session, chain, preferred_chain))
        return std::move(*alternate);
    session.log().warning("no chain issued by '" + printable_for_log(preferred_chain, 100) +
                          "'; using the CA's default chain");
    return chain.body;
}

}  // namespace lacme::client
