// SPDX-License-Identifier: GPL-3.0-or-later
// Serialises the few responses the server ever sends. Every response carries Content-Length so
// that keep-alive and front proxies (proxy_next_upstream http_404) never have to guess.
#pragma once

#include <string>
#include <string_view>

namespace lacme::web {

struct http_response {
    int status = 404;
    std::string_view body;  // challenge bytes for 200; empty otherwise
    bool head = false;  // HEAD: same headers, no body
    bool keep_alive = false;  // false: "Connection: close"
    bool http10_keep_alive = false;  // an HTTP/1.0 client asked for keep-alive: say we agree
    std::string_view date;  // preformatted IMF-fixdate, omitted when empty
};

[[nodiscard]] std::string_view status_reason(int status) noexcept;

// Appends the serialised response to out (responses to pipelined requests share one write).
void append_response(std::string& out, const http_response& r);

}  // namespace lacme::web
