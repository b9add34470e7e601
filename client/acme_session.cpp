// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/acme_session.hpp"

#include "client/ca_url.hpp"
#include "client/client_error.hpp"
#include "client/clock_skew.hpp"
#include "client/problem_document.hpp"

#include "common/text.hpp"

namespace lacme::client {

std::string describe_failure(const http_response& response, std::string_view what)
{
    std::string line = std::string(what) + ": HTTP " + std::to_string(response.status);
    const std::string media = response.media_type();
    std::optional<problem_document> problem;
    if (media == "application/problem+json" || media == "application/json")
        problem = parse_problem_document(response.body);
    if (problem && (problem->type != "about:blank" || !problem->detail.empty())) {
        line += ' ';  // not " " + string: GCC 12 -O3 -Wrestrict false positive
        line += problem->one_line();
    } else if (!media.empty())
        line += " (" + printable_for_log(media, 60) + " response)";
    // Given up on although the CA said when to come back: longer than this run waits, or too
    // many times. Say so, so that the operator knows when to run again.
    if (const auto retry_after = response.header("retry-after")) {
        const std::string value = printable_for_log(trim(*retry_after), 40);
        const bool seconds = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
        line += "; the CA asks to retry " + (seconds ? "after " + value + " s" : "at " + value);
    }
    return line;
}

void throw_failure(const http_response& response, std::string_view what)
{
    throw acme_error(describe_failure(response, what));
}

nlohmann::json json_body(const http_response& response, std::string_view what)
{
    auto json = nlohmann::json::parse(response.body, nullptr, false);
    if (!json.is_object()) {
        const std::string media = response.media_type();
        throw acme_error(std::string(what) + ": the CA's response is not a JSON object" +
                         (media.empty() ? std::string() : " (" + printable_for_log(media, 60) + ")"));
    }
    return json;
}

acme_session::acme_session(http_transport& http, accountd_connection* accountd, const client_config& config,
                           run_log& log)
    : http_(http), accountd_(accountd), config_(config), log_(log)
{
    if (accountd_ && accountd_->greeting().kid)
        kid_ = accountd_->greeting().kid;
}

accountd_connection& acme_session::accountd() const
{
    if (!accountd_)
        throw lacme::error("this command has no lacme-accountd connection to sign with");
    return *accountd_;
}

std::chrono::milliseconds acme_session::request_timeout() const
{
    if (deadline_.expired())
        throw transport_error("the run's time limit is exceeded");
    const std::chrono::milliseconds bound = limits_.request_timeout;
    return std::min(deadline_.remaining(bound), bound);
}

const acme_directory& acme_session::directory()
{
    if (!directory_) {
        const http_response r = get(config_.server, "ACME directory " + config_.server);
        if (!r.success())
            throw_failure(r, "ACME directory " + config_.server);
        if (const auto skew = clock_skew_warning(r.header("date"), std::chrono::system_clock::now()))
            log_.warning(*skew);
        directory_ = acme_directory::parse(json_body(r, "ACME directory"));
    }
    return *directory_;
}

jws_key acme_session::account_key(bool use_jwk) const
{
    jws_key key;
    key.alg = accountd().greeting().alg;
    if (!use_jwk) {
        if (!kid_)
            throw lacme::error("account URL unknown (no account for this key?)");
        key.kid = kid_;
    } else {
        key.jwk = accountd().greeting().jwk;
        if (key.jwk.empty())
            throw lacme::error("lacme-accountd sent an empty JWK (its 'keyid' setting): can't sign this request");
    }
    return key;
}

std::optional<std::chrono::milliseconds> acme_session::transient_delay(const http_response* response, int attempt) const
{
    if (attempt >= limits_.transient)
        return std::nullopt;
    std::chrono::milliseconds delay = limits_.first_backoff * (1 << std::min(attempt, 6));
    if (response) {
        if (const auto ra = response->header("retry-after")) {
            const auto cap = limits_.longest_wait + std::chrono::seconds(1);
            if (const auto parsed = parse_retry_after(*ra, std::chrono::system_clock::now(), cap)) {
                if (*parsed > limits_.longest_wait)
                    return std::nullopt;
                delay = std::max<std::chrono::milliseconds>(*parsed, std::chrono::milliseconds(100));
            }
        }
    }
    if (!deadline_.allows(delay))
        return std::nullopt;
    return delay;
}

void acme_session::check_url(const std::string& url) const
{
    if (check_ca_url(config_.server, url) == url_origin::other)
        log_.debug(printable_for_log(url, 200) + " is not on the directory's host");
}

void acme_session::ensure_nonces(std::size_t count)
{
    for (int attempt = 0; nonces_.size() < count; ++attempt) {
        const std::string& url = directory().new_nonce;
        check_url(url);
        std::vector<http_request> heads(count - nonces_.size(), http_request{.method = "HEAD", .url = url});
        const auto outcomes = http_.perform_all(heads, request_timeout());
        std::string failure;
        bool transient = true;
        for (const auto& o : outcomes) {
            if (!o.response) {
                failure = o.error;
                transient = transient && o.transient;
            } else if (const auto nonce = o.response->header("replay-nonce")) {
                nonces_.add(*nonce);
            } else {
                failure = describe_failure(*o.response, "newNonce") + " without a Replay-Nonce";
            }
        }
        if (nonces_.size() >= count)
            return;
        const auto delay = transient ? transient_delay(nullptr, attempt) : std::nullopt;
        if (!delay)
            throw transport_error(failure.empty() ? "newNonce: no nonce from the CA" : failure);
        sleep_for(*delay);
    }
}

nlohmann::json acme_session::sign(const jws_key& key, std::string_view url, const std::string& encoded_payload,
                                  bool with_nonce)
{
    std::string nonce;
    if (with_nonce) {
        ensure_nonces(1);
        nonce = *nonces_.take();
    }
    return sign_jws(accountd(), key, nonce, url, encoded_payload);
}

std::vector<http_response> acme_session::post_all(std::span<const signed_post> requests)
{
    struct slot {
        int bad_nonce = 0;
        int transient = 0;
        std::optional<http_response> result;
    };
    std::vector<slot> slots(requests.size());
    std::vector<std::size_t> pending;
    for (std::size_t i = 0; i < requests.size(); ++i)
        pending.push_back(i);

    while (!pending.empty()) {
        // The pool keeps only so many nonces: more requests than that go in several rounds
        // (the responses of one round bring the nonces of the next).
        const std::size_t round = std::min(pending.size(), nonce_pool::capacity);
        std::vector<std::size_t> later(pending.begin() + static_cast<std::ptrdiff_t>(round), pending.end());
        pending.resize(round);
        ensure_nonces(round);
        std::vector<http_request> batch;
        for (const std::size_t i : pending) {
            const signed_post& p = requests[i];
            check_url(p.url);
            const jws_key key = account_key(p.use_jwk);
            const nlohmann::json body = sign(key, p.url, encode_payload(p.payload), true);
            batch.push_back({.method = "POST",
                             .url = p.url,
                             .body = body.dump(),
                             .content_type = "application/jose+json",
                             .accept = p.accept});
        }
        const auto outcomes = http_.perform_all(batch, request_timeout());

        std::vector<std::size_t> retry;
        std::chrono::milliseconds wait{0};
        for (std::size_t k = 0; k < pending.size(); ++k) {
            const std::size_t i = pending[k];
            slot& s = slots[i];
            const http_outcome& o = outcomes[k];
            if (!o.response) {
                const auto delay = o.transient ? transient_delay(nullptr, s.transient++) : std::nullopt;
                if (!delay)
                    throw transport_error(o.error);
                log_.debug(o.error + "; retrying");
                wait = std::max(wait, *delay);
                retry.push_back(i);
                continue;
            }
            const http_response& r = *o.response;
            if (const auto nonce = r.header("replay-nonce"))
                nonces_.add(*nonce);  // error responses carry one too: that is the badNonce fix
            if (r.success()) {
                s.result = r;
                continue;
            }
            const auto problem = parse_problem_document(r.body);
            log_.debug(describe_failure(r, printable_for_log(requests[i].url, 200)));
            if (problem && problem->is("badNonce") && s.bad_nonce < limits_.bad_nonce) {
                ++s.bad_nonce;
                retry.push_back(i);
                continue;
            }
            if (r.status >= 500 || (problem && problem->is("rateLimited")) || r.status == 429) {
                if (const auto delay = transient_delay(&r, s.transient++)) {
                    wait = std::max(wait, *delay);
                    retry.push_back(i);
                    continue;
                }
            }
            s.result = r;
        }
        if (!retry.empty())
            sleep_for(wait);
        pending = std::move(retry);
        pending.insert(pending.end(), later.begin(), later.end());
    }

    std::vector<http_response> responses;
    responses.reserve(slots.size());
    for (auto& s : slots)
        responses.push_back(std::move(*s.result));
    return responses;
}

http_response acme_session::post(const signed_post& request)
{
    return std::move(post_all(std::span(&request, 1)).front());
}

http_response acme_session::post_ok(const signed_post& request, std::string_view what)
{
    http_response r = post(request);
    if (!r.success())
        throw_failure(r, what);
    return r;
}

http_response acme_session::get(const std::string& url, std::string_view what)
{
    check_url(url);
    for (int attempt = 0;; ++attempt) {
        const http_request request{.method = "GET", .url = url};
        auto outcome = std::move(http_.perform_all(std::span(&request, 1), request_timeout()).front());
        if (outcome.response) {
            if (const auto nonce = outcome.response->header("replay-nonce"))
                nonces_.add(*nonce);
            if (outcome.response->status < 500 && outcome.response->status != 429)
                return std::move(*outcome.response);
        }
        const auto delay = outcome.response || outcome.transient
                               ? transient_delay(outcome.response ? &*outcome.response : nullptr, attempt)
                               : std::nullopt;
        if (!delay) {
            if (outcome.response)
                return std::move(*outcome.response);
            throw transport_error(outcome.error);
        }
        log_.debug(std::string(what) + ": retrying");
        sleep_for(*delay);
    }
}

}  // namespace lacme::client
