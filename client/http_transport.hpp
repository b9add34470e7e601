// HTTPS to the CA with libcurl: TLS settings as lacme's [client] section has them, a hard cap on
// response bodies, and several requests in flight at once (curl multi) for the parallel
// authorization steps. Connections are kept alive across requests.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lacme::client {

struct tls_settings {
    bool verify = true;          // SSL_verify
    std::string ca_file;         // SSL_CAfile (ours): trust anchors instead of the system store
    std::string version;         // SSL_version, IO::Socket::SSL syntax: "TLSv1_2", "SSLv23:!TLSv1"...
    std::string cipher_list;     // SSL_cipher_list, OpenSSL syntax
};

// curl's min/max TLS version bits for an IO::Socket::SSL SSL_version string; throws lacme::error
// naming an unknown or empty selection.
long curl_ssl_version(std::string_view ssl_version);

struct http_request {
    std::string method;  // GET, HEAD, POST
    std::string url;
    std::string body;    // POST only
    std::string content_type;
    std::string accept;  // optional Accept header
};

struct http_response {
    long status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // names lowercased, in order
    std::string body;

    [[nodiscard]] std::optional<std::string> header(std::string_view lowercase_name) const;
    [[nodiscard]] std::vector<std::string> headers_named(std::string_view lowercase_name) const;
    // Media type without parameters, lowercased ("" when absent).
    [[nodiscard]] std::string media_type() const;
    [[nodiscard]] bool success() const noexcept { return status >= 200 && status < 300; }
};

// Either a response or why there is none.
struct http_outcome {
    std::optional<http_response> response;
    std::string error;  // one line, set when response is empty
    // Worth retrying (connection refused/reset, timeout, DNS): not for TLS verification or
    // configuration errors nor an oversized answer, which would fail the same way again.
    bool transient = false;
};

class http_transport {
public:
    static constexpr std::size_t default_body_cap = 1024 * 1024;

    http_transport(tls_settings tls, std::size_t body_cap = default_body_cap, bool debug = false);
    ~http_transport();
    http_transport(const http_transport&) = delete;
    http_transport& operator=(const http_transport&) = delete;

    // All requests concurrently; outcomes in request order. Never throws for per-request failures.
    std::vector<http_outcome> perform_all(std::span<const http_request> requests, std::chrono::milliseconds timeout);
    // One request; throws transport_error when there is no response.
    http_response perform(const http_request& request, std::chrono::milliseconds timeout);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace lacme::client
