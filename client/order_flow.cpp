#include "client/order_flow.hpp"

#include "client/ca_url.hpp"
#include "client/challenge_files.hpp"
#include "client/debug_log.hpp"
#include "client/json_member.hpp"
#include "client/client_error.hpp"
#include "client/link_header.hpp"
#include "client/pem_chain.hpp"
#include "client/problem_document.hpp"

#include "common/base64url.hpp"
#include "common/error.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

namespace lacme::client {
namespace {

std::string describe_identifier(const nlohmann::json& authz)
{
    const auto it = authz.find("identifier");
    if (it == authz.end() || !it->is_object())
        return "?";
    std::string name = sanitize_for_log(string_member(*it, "value"), 120);
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
                    reason = sanitize_for_log(string_member(ch, "type"), 30) + " " + problem->one_line();
                    break;
                }
        }
    }
    return "authorization for " + describe_identifier(authz) + " is " +
           sanitize_for_log(string_member(authz, "status"), 30) + (reason.empty() ? "" : ": " + reason);
}

// The delay before the next poll: the CA's Retry-After when it gives one (never longer than
// what the deadline allows), else our backoff.
std::chrono::milliseconds poll_delay(const acme_session& session, const http_response& r, backoff& fallback,
                                     std::string_view what)
{
    const deadline& end = session.current_deadline();
    std::chrono::milliseconds delay = fallback.next();
    // With timeout = 0 a CA still gets at most a day per wait.
    const auto cap = end.remaining(std::chrono::hours(24));
    if (const auto ra = r.header("retry-after"))
        if (const auto parsed = parse_retry_after(*ra, std::chrono::system_clock::now(), cap))
            delay = std::max<std::chrono::milliseconds>(*parsed, std::chrono::milliseconds(100));
    if (!end.allows(delay))
        throw acme_error("timeout exceeded while waiting for " + std::string(what));
    if (session.debug())
        std::cerr << debug_prefix() << "" << what << ": polling again in " << delay.count() << " ms\n";
    return delay;
}

}  // namespace

nlohmann::json identifier_for(const std::string& name)
{
    unsigned char addr[16];
    if (::inet_pton(AF_INET, name.c_str(), addr) == 1)
        return {{"type", "ip"}, {"value", name}};
    if (::inet_pton(AF_INET6, name.c_str(), addr) == 1) {
        char text[INET6_ADDRSTRLEN];
        if (!::inet_ntop(AF_INET6, addr, text, sizeof text))
            throw_errno("inet_ntop");
        return {{"type", "ip"}, {"value", std::string(text)}};
    }
    return {{"type", "dns"}, {"value", name}};
}

bool ensure_account_url(acme_session& session, bool required)
{
    if (session.kid())
        return true;
    const std::string url = session.directory().new_account;
    const http_response r = session.post({url, nlohmann::json{{"onlyReturnExisting", true}}, true, {}});
    if (r.success()) {
        const auto location = r.header("location");
        if (!location || location->empty())
            throw acme_error("newAccount: the CA sent no account URL (Location)");
        session.set_kid(*location);
        if (session.debug())
            std::cerr << debug_prefix() << "Key ID: " << sanitize_for_log(*location, 200) << '\n';
        return true;
    }
    if (required)
        throw_failure(r, "account lookup");
    return false;
}

std::string run_order(acme_session& session, const order_request& request)
{
    ensure_account_url(session, true);
    const acme_directory& dir = session.directory();

    nlohmann::json payload;
    payload["identifiers"] = nlohmann::json::array();
    for (const auto& name : request.names)
        payload["identifiers"].push_back(identifier_for(name));
    if (!request.replaces.empty() && !dir.renewal_info.empty())
        payload["replaces"] = request.replaces;
    http_response r = session.post_ok({dir.new_order, payload, false, {}}, "newOrder");
    nlohmann::json order = json_body(r, "newOrder");
    const auto order_url = r.header("location");
    if (!order_url || order_url->empty())
        throw acme_error("newOrder: the CA sent no order URL (Location)");
    const std::string finalize_url = string_member(order, "finalize");
    if (finalize_url.empty())
        throw acme_error("newOrder: the order has no 'finalize' URL");

    challenge_files files;
    std::string status = string_member(order, "status");
    std::vector<signed_post> answered_authz;  // to explain an invalid order
    bool nothing_to_validate = false;
    if (status == "pending") {
        // 1. All authorizations at once.
        std::vector<signed_post> authz_requests;
        if (const auto a = order.find("authorizations"); a != order.end() && a->is_array())
            for (const auto& url : *a)
                if (url.is_string())
                    authz_requests.push_back({url.get<std::string>(), std::nullopt, false, {}});
        const auto authz_responses = session.post_all(authz_requests);

        // 2. Key authorizations on disk, then all challenges answered at once.
        std::vector<signed_post> challenge_posts;
        for (std::size_t i = 0; i < authz_responses.size(); ++i) {
            const auto& resp = authz_responses[i];
            if (!resp.success())
                throw_failure(resp, "authorization " + sanitize_for_log(authz_requests[i].url, 200));
            const nlohmann::json authz = json_body(resp, "authorization");
            const std::string authz_status = string_member(authz, "status");
            if (authz_status == "valid")
                continue;  // reused authorization: no challenge, no signature
            if (authz_status != "pending")
                throw acme_error(authorization_failure(authz));
            const nlohmann::json* challenge = nullptr;
            if (const auto chs = authz.find("challenges"); chs != authz.end() && chs->is_array())
                for (const auto& ch : *chs)
                    if (ch.is_object() && string_member(ch, "type") == "http-01")
                        challenge = &ch;
            if (!challenge)
                throw acme_error("Missing 'http-01' challenge in server response for '" + describe_identifier(authz) + "'");
            const std::string token = string_member(*challenge, "token");
            // The token becomes a file name in the cwd: nothing but base64url, ever.
            if (token.empty() || token.size() > 256 || !is_base64url_alphabet(token))
                throw acme_error("Invalid challenge token " + sanitize_for_log(token, 80));
            const std::string challenge_url = string_member(*challenge, "url");
            if (challenge_url.empty())
                throw acme_error("http-01 challenge for " + describe_identifier(authz) + " has no URL");
            files.write(token, token + "." + session.accountd().thumbprint());
            answered_authz.push_back(authz_requests[i]);
            const std::string ch_status = string_member(*challenge, "status");
            if (ch_status == "pending" || ch_status.empty())
                challenge_posts.push_back({challenge_url, nlohmann::json::object(), false, {}});
        }
        nothing_to_validate = challenge_posts.empty();
        const auto challenge_responses = session.post_all(challenge_posts);
        for (std::size_t i = 0; i < challenge_responses.size(); ++i)
            if (!challenge_responses[i].success())
                throw_failure(challenge_responses[i], "challenge " + sanitize_for_log(challenge_posts[i].url, 200));
    }

    // 3. Poll the order until ready, finalize, poll until valid. The first interval is short:
    // validation on a nearby CA is quick, and each poll costs a signature.
    const std::string names = [&] {
        std::string s;
        for (const auto& n : request.names)
            s += (s.empty() ? "" : ", ") + n;
        return s;
    }();
    backoff validation_backoff(std::chrono::milliseconds(400), std::chrono::seconds(8));
    backoff issuance_backoff(std::chrono::milliseconds(50), std::chrono::seconds(8));
    bool finalized = false;
    bool fresh = !status.empty();  // `order` is current: no poll needed before looking at it
    // Finalize before the first poll: validation on a nearby CA is done by then, and a poll costs
    // a signature. A CA that is not there yet answers orderNotReady and we poll as usual.
    bool speculative = status == "pending";
    std::string certificate_url;
    while (true) {
        if (speculative) {
            speculative = false;
            if (!nothing_to_validate) {
                // CAs validate each name from several vantage points, often one after the
                // other: give them time in proportion to the number of challenges.
                auto longest = std::min<std::chrono::milliseconds>(
                    std::chrono::milliseconds(500) * (1 + static_cast<long>(answered_authz.size())), std::chrono::seconds(5));
                longest = std::min(longest, session.current_deadline().remaining(longest));
                files.wait_for_fetches(longest, session.debug());
            }
            http_response f =
                session.post({finalize_url, nlohmann::json{{"csr", base64url_encode(request.csr_der)}}, false, {}});
            if (f.success()) {
                finalized = true;
                r = std::move(f);
                order = json_body(r, "finalize");
                status = string_member(order, "status");
                if (status == "processing")
                    sleep_for(poll_delay(session, r, issuance_backoff, "certificate issuance (" + names + ")"));
                fresh = status != "processing";  // else the order is current: look at it now
                continue;
            }
            const auto problem = parse_problem_document(f.body);
            if (!problem || !problem->is("orderNotReady"))
                throw_failure(f, "finalize");
            // Just learnt it is not ready: the next look is worth nothing before a pause.
            sleep_for(poll_delay(session, f, validation_backoff, "challenges to pass (" + names + ")"));
            fresh = false;
            continue;
        }
        if (!fresh) {
            r = session.post_ok({*order_url, std::nullopt, false, {}}, "order");
            order = json_body(r, "order");
            status = string_member(order, "status");
        }
        fresh = false;
        if (const auto e = order.find("error"); e != order.end())
            if (const auto problem = problem_from_json(*e); problem && status == "invalid")
                throw acme_error("order for " + names + " is invalid: " + problem->one_line(), problem->type);
        if (status == "valid") {
            certificate_url = string_member(order, "certificate");
            if (certificate_url.empty())
                throw acme_error("Missing \"certificate\" field in \"valid\" order");
            break;
        }
        if (status == "ready" && !finalized) {
            r = session.post_ok({finalize_url, nlohmann::json{{"csr", base64url_encode(request.csr_der)}}, false, {}},
                                "finalize");
            finalized = true;
            order = json_body(r, "finalize");
            status = string_member(order, "status");
            if (status == "valid") {
                fresh = true;  // next iteration picks the certificate URL without a poll
                continue;
            }
            sleep_for(poll_delay(session, r, issuance_backoff, "certificate issuance (" + names + ")"));
            // A poll follows on the next round.
            continue;
        }
        if (status == "invalid") {
            // The order says little; the authorizations say why.
            std::string reason = "order for " + names + " is invalid";
            if (!answered_authz.empty()) {
                for (const auto& resp : session.post_all(answered_authz)) {
                    if (!resp.success())
                        continue;
                    const auto authz = nlohmann::json::parse(resp.body, nullptr, false);
                    if (authz.is_object() && string_member(authz, "status") != "valid") {
                        reason = authorization_failure(authz);
                        break;
                    }
                }
            }
            throw acme_error(reason);
        }
        if (status != "pending" && status != "processing" && status != "ready")
            throw acme_error("order for " + names + " has unexpected status '" + sanitize_for_log(status, 30) + "'");
        sleep_for(poll_delay(session, r, status == "pending" ? validation_backoff : issuance_backoff,
                             status == "pending" ? "challenges to pass (" + names + ")" : "certificate (" + names + ")"));
    }

    // 4. The chain (RFC 8555 §7.4.2), then alternates if a preferred chain was asked for.
    const auto accept = "application/pem-certificate-chain";
    for (backoff wait(std::chrono::milliseconds(500), std::chrono::seconds(8));;) {
        r = session.post_ok({certificate_url, std::nullopt, false, accept}, "certificate download");
        if (r.status != 202)
            break;
        sleep_for(poll_delay(session, r, wait, "certificate download"));
    }
    count_pem_certificates(r.body);  // refuses anything but PEM certificates
    std::string chain = r.body;
    if (!request.preferred_chain.empty() && !chain_matches_preferred(chain, request.preferred_chain)) {
        // A broken alternate (refused URL, unreachable, not PEM) must not cost us the default
        // chain we already hold.
        std::vector<signed_post> alternates;
        for (const auto& url : links_with_rel(r.headers_named("link"), "alternate")) {
            try {
                check_ca_url(session.directory_url(), url);
                alternates.push_back({url, std::nullopt, false, accept});
            } catch (const acme_error& e) {
                std::cerr << "Warning: ignoring an alternate chain: " << e.what() << '\n';
            }
        }
        bool found = false;
        try {
            for (const auto& alt : session.post_all(alternates)) {
                if (alt.success() && chain_matches_preferred(alt.body, request.preferred_chain)) {
                    chain = alt.body;
                    found = true;
                    break;
                }
            }
        } catch (const lacme::error& e) {
            std::cerr << "Warning: ignoring the alternate chains: " << e.what() << '\n';
        }
        if (!found)
            std::cerr << "Warning: no chain issued by '" << sanitize_for_log(request.preferred_chain, 100)
                      << "'; using the CA's default chain\n";
    }
    return chain;
}

}  // namespace lacme::client
