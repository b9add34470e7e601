// SPDX-License-Identifier: GPL-3.0-or-later
// What the client needs from HTTP: several requests at once, each ending in a response or in a
// reason why there is none. curl_transport implements it for the CA; unit tests answer with
// canned responses.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lacme::client {

struct http_request {
    std::string method{};  // GET, HEAD, POST
    std::string url{};
    std::string body{};  // POST only
    std::string content_type{};
    std::string accept{};  // optional Accept header
};

struct http_response {
    long status = 0;
    std::vector<std::pair<std::string, std::string>> headers{};  // names lowercased, in order
    std::string body{};

    [[nodiscard]] std::optional<std::string> header(std::string_view lowercase_name) const;
    [[nodiscard]] std::vector<std::string> headers_named(std::string_view lowercase_name) const;
    // Media type without parameters, lowercased ("" when absent).
    [[nodiscard]] std::string media_type() const;
    [[nodiscard]] bool success() const noexcept { return status >= 200 && status < 300; }
};

// Either a response or why there is none.
struct http_outcome {
    std::optional<http_response> response{};
    std::string error{};  // one line, set when response is empty
    // Worth retrying (connection refused/reset, timeout, DNS): not for TLS verification or
    // configuration errors nor an oversized answer, which would fail the same way again.
    bool transient = false;
};

class http_transport {
public:
    virtual ~http_transport() = default;

    // All requests concurrently; outcomes in request order. Never throws for per-request failures.
    virtual std::vector<http_outcome> perform_all(std::span<const http_request> requests,
                                                  std::chrono::milliseconds timeout) = 0;
};

}  // namespace lacme::client
