// SPDX-License-Identifier: GPL-3.0-or-later
// One ACME conversation with the CA: the directory, the nonce pool, the account key's identity
// (kid or jwk), and signed requests with the bounded retries RFC 8555 calls for: badNonce
// (§6.5) with the nonce of the error response, and 5xx / rateLimited / connection failures
// honouring Retry-After. Several signed requests can be in flight at once.
#pragma once

#include "client/accountd_connection.hpp"
#include "client/acme_directory.hpp"
#include "client/client_config.hpp"
#include "client/http_transport.hpp"
#include "client/jws_request.hpp"
#include "client/nonce_pool.hpp"
#include "client/retry_policy.hpp"
#include "client/run_log.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::client {

// Built with designated initializers: {.url = u, .payload = p, .accept = a}.
// (every member has a default initializer so that -Wextra accepts the ones left out).
struct signed_post {
    std::string url{};
    std::optional<nlohmann::json> payload{};  // nullopt: POST-as-GET (empty payload)
    bool use_jwk = false;  // jwk instead of kid in the protected header
    std::string accept{};  // e.g. application/pem-certificate-chain
};

struct retry_limits {
    // pebble's test mode rejects up to half of all good nonces: 16 retries fail one request in
    // 2^17 there, and each costs one quick round trip.
    int bad_nonce = 16;
    int transient = 3;  // 5xx, rateLimited, connection errors
    std::chrono::milliseconds first_backoff{1000};
    std::chrono::seconds longest_wait{60};  // a longer Retry-After is reported, not waited for
    // One request (connecting: curl_transport's own 15 s): a CA slow to answer, e.g. a long
    // finalize, is waited for; a dead one is not.
    std::chrono::seconds request_timeout{120};
};

class acme_session {
public:
    // accountd: null for a command that signs nothing (renewal-info), which then needs no
    // accountd at all.
    acme_session(http_transport& http, accountd_connection* accountd, const client_config& config, run_log& log);

    // Fetched on first use.
    const acme_directory& directory();

    [[nodiscard]] const std::optional<std::string>& kid() const noexcept { return kid_; }
    void set_kid(std::string kid) { kid_ = std::move(kid); }
    // Throws lacme::error when the session has no accountd connection.
    [[nodiscard]] accountd_connection& accountd() const;
    [[nodiscard]] nonce_pool& nonces() noexcept { return nonces_; }

    // The run's overall bound (client/main.cpp), not the `timeout` setting.
    void set_deadline(deadline d) { deadline_ = d; }
    [[nodiscard]] const deadline& current_deadline() const noexcept { return deadline_; }
    void set_retry_limits(retry_limits limits) { limits_ = limits; }

    // Signed requests, concurrently; responses in order (possibly non-2xx after retries).
    // Throws transport_error when a request got no response at all after its retries.
    std::vector<http_response> post_all(std::span<const signed_post> requests);
    http_response post(const signed_post& request);
    // Like post, but any non-2xx becomes an acme_error "WHAT: <problem>".
    http_response post_ok(const signed_post& request, std::string_view what);
    // Unsigned GET (directory, ARI) with the same transient-failure retries.
    http_response get(const std::string& url, std::string_view what);

    // Signs without sending: used to nest JWS (keyChange); takes a nonce only when asked.
    nlohmann::json sign(const jws_key& key, std::string_view url, const std::string& encoded_payload, bool with_nonce);
    [[nodiscard]] jws_key account_key(bool use_jwk) const;

    [[nodiscard]] run_log& log() const noexcept { return log_; }
    // The `server` setting: where the CA's other URLs are checked against (client/ca_url.hpp).
    [[nodiscard]] const std::string& directory_url() const noexcept { return config_.server; }
    // The `timeout` setting: how long each wait for the CA may poll.
    [[nodiscard]] std::chrono::seconds polling_limit() const noexcept { return config_.timeout; }

private:
    // check_ca_url, with a debug line for another host.
    void check_url(const std::string& url) const;
    void ensure_nonces(std::size_t count);
    std::chrono::milliseconds request_timeout() const;
    // The delay before retrying a transient failure, or nullopt when it should not be retried.
    std::optional<std::chrono::milliseconds> transient_delay(const http_response* response, int attempt) const;

    http_transport& http_;
    accountd_connection* accountd_;
    const client_config& config_;
    run_log& log_;
    std::optional<acme_directory> directory_;
    std::optional<std::string> kid_;
    nonce_pool nonces_;
    deadline deadline_ = deadline::none();
    retry_limits limits_;
};

// "WHAT: HTTP 403 unauthorized: detail (subproblems)" for a failed response, followed by
// "; the CA asks to retry after 3600 s" when it has a Retry-After; never throws.
std::string describe_failure(const http_response& response, std::string_view what);
// Throws acme_error(describe_failure(...)).
[[noreturn]] void throw_failure(const http_response& response, std::string_view what);
// The body as a JSON object; acme_error naming `what` for anything else (HTML, junk, arrays).
nlohmann::json json_body(const http_response& response, std::string_view what);

}  // namespace lacme::client
