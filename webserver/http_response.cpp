// SPDX-License-Identifier: GPL-3.0-or-later
#include "webserver/http_response.hpp"

#include <array>
#include <charconv>

namespace lacme::web {

std::string_view status_reason(int status) noexcept
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
    }
}

namespace {

void append_number(std::string& out, std::size_t n)
{
    std::array<char, 24> buf{};
    const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), n);
    (void)ec;  // 24 digits always suffice for size_t
    out.append(buf.data(), end);
}

}  // namespace

void append_response(std::string& out, const http_response& r)
{
    out.append("HTTP/1.1 ");
    append_number(out, static_cast<std::size_t>(r.status));
    out.push_back(' ');
    out.append(status_reason(r.status));
    out.append("\r\nServer: lacme-webserver\r\n");
    if (!r.date.empty()) {
        out.append("Date: ");
        out.append(r.date);
        out.append("\r\n");
    }
    if (r.status == 405)
        out.append("Allow: GET, HEAD\r\n");
    if (r.status == 200)
        out.append("Content-Type: text/plain\r\nCache-Control: no-store\r\n");
    out.append("Content-Length: ");
    append_number(out, r.body.size());
    out.append("\r\n");
    if (!r.keep_alive)
        out.append("Connection: close\r\n");
    else if (r.http10_keep_alive)
        out.append("Connection: keep-alive\r\n");
    out.append("\r\n");
    if (!r.head)
        out.append(r.body);
}

}  // namespace lacme::web
