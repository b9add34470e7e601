// SPDX-License-Identifier: GPL-3.0-or-later
// Incremental HTTP/1.x request-head parser: exactly what the http-01 server needs and no more.
// It never allocates beyond the configured head size, rejects anything ambiguous (bare CR, NUL,
// obs-fold, whitespace before ':', conflicting Content-Length) and reports the status to answer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lacme::web {

struct http_request {
    std::string method;  // case-sensitive token, as sent
    std::string target;  // raw request-target, visible ASCII only
    int version_minor = 1;  // HTTP/1.0 or HTTP/1.1
    bool keep_alive = true;  // after Connection: header and version defaults
    bool has_body = false;  // Content-Length > 0 or Transfer-Encoding: we never read bodies
};

class http_request_parser {
public:
    enum class state { incomplete, complete, error };
    struct result {
        state st;
        std::size_t consumed;  // bytes of the fed data that belong to this request head
    };

    static constexpr std::size_t default_max_head = 8192;
    static constexpr std::size_t default_max_headers = 100;

    explicit http_request_parser(std::size_t max_head = default_max_head, std::size_t max_headers = default_max_headers)
        : max_head_(max_head), max_headers_(max_headers)
    {}

    // Feeds the next bytes of the stream. Stops right after the empty line ending the head, so
    // data past `consumed` belongs to the next (pipelined) request. After complete or error,
    // call reset() before feeding again.
    result feed(std::string_view data);
    void reset();

    [[nodiscard]] bool empty() const noexcept { return head_size_ == 0 && line_.empty(); }
    [[nodiscard]] const http_request& request() const noexcept { return req_; }
    // Status to answer with after an error: 400, 414, 431 or 505.
    [[nodiscard]] int error_status() const noexcept { return error_status_; }
    [[nodiscard]] std::string_view error_reason() const noexcept { return error_reason_; }

private:
    state process_line(std::string_view line);
    state parse_request_line(std::string_view line);
    state parse_header_line(std::string_view line);
    state fail(int status, std::string_view reason);

    std::size_t max_head_;
    std::size_t max_headers_;
    std::string line_;  // the current line while it is incomplete
    std::size_t head_size_ = 0;  // bytes of complete lines so far
    std::size_t header_count_ = 0;
    bool have_request_line_ = false;
    bool connection_close_ = false;
    bool connection_keep_alive_ = false;
    bool have_content_length_ = false;
    unsigned long long content_length_ = 0;
    bool transfer_encoding_ = false;
    state state_ = state::incomplete;
    int error_status_ = 0;
    std::string_view error_reason_;
    http_request req_;
};

}  // namespace lacme::web
