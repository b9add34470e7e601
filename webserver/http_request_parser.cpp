// SPDX-License-Identifier: GPL-3.0-or-later
#include "webserver/http_request_parser.hpp"

#include "common/parse_number.hpp"
#include "common/text.hpp"

#include <algorithm>
#include <string>

namespace lacme::web {

namespace {

// RFC 9110 tchar.
bool is_tchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view s)
{
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return is_tchar(static_cast<unsigned char>(c)); });
}

// field-value characters: VCHAR, SP, HTAB, obs-text. No CR, LF, NUL or other controls.
bool is_field_char(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

}  // namespace

void http_request_parser::reset()
{
    line_.clear();
    head_size_ = 0;
    header_count_ = 0;
    have_request_line_ = false;
    connection_close_ = false;
    connection_keep_alive_ = false;
    have_content_length_ = false;
    content_length_ = 0;
    transfer_encoding_ = false;
    state_ = state::incomplete;
    error_status_ = 0;
    error_reason_ = {};
    req_ = http_request{};
}

http_request_parser::state http_request_parser::fail(int status, std::string_view reason)
{
    error_status_ = status;
    error_reason_ = reason;
    return state_ = state::error;
}

http_request_parser::result http_request_parser::feed(std::string_view data)
{
    if (state_ != state::incomplete)
        return {state_, 0};
    std::size_t pos = 0;
    while (pos < data.size()) {
        const std::size_t nl = data.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? data.size() : nl + 1;
        // Bound memory before copying anything: a line may arrive one byte at a time.
        if (head_size_ + line_.size() + (end - pos) > max_head_) {
            fail(have_request_line_ ? 431 : 414,
                 have_request_line_ ? "request header too large" : "request line too long");
            return {state_, end};
        }
        if (nl == std::string_view::npos) {
            line_.append(data.substr(pos));
            return {state_, data.size()};
        }
        std::string_view line;
        if (line_.empty()) {
            line = data.substr(pos, nl - pos);
        } else {
            line_.append(data.substr(pos, nl - pos));
            line = line_;
        }
        head_size_ += line.size() + 1;
        pos = end;
        // Bare LF line ends are tolerated (RFC 9112 §2.2); a CR anywhere else is not.
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        const state st = process_line(line);
        line_.clear();
        if (st != state::incomplete)
            return {st, pos};
    }
    return {state_, pos};
}

http_request_parser::state http_request_parser::process_line(std::string_view line)
{
    if (!have_request_line_) {
        // RFC 9112 §2.2: ignore empty lines before the request-line (left over after a body).
        if (line.empty())
            return state_;
        return parse_request_line(line);
    }
    if (line.empty()) {
        if (transfer_encoding_ || (have_content_length_ && content_length_ > 0))
            req_.has_body = true;
        req_.keep_alive = req_.version_minor >= 1 ? !connection_close_ : (connection_keep_alive_ && !connection_close_);
        return state_ = state::complete;
    }
    return parse_header_line(line);
}

http_request_parser::state http_request_parser::parse_request_line(std::string_view line)
{
    // method SP request-target SP HTTP-version, single spaces, nothing else (RFC 9112 §3).
    const std::size_t sp1 = line.find(' ');
    if (sp1 == std::string_view::npos)
        return fail(400, "malformed request line");
    const std::string_view method = line.substr(0, sp1);
    const std::size_t sp2 = line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos)
        return fail(400, "missing HTTP version (HTTP/0.9 is not supported)");
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = line.substr(sp2 + 1);
    if (!is_token(method))
        return fail(400, "malformed method");
    if (target.empty() || !std::all_of(target.begin(), target.end(), [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return u > 0x20 && u < 0x7f;
        }))
        return fail(400, "malformed request target");
    if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' || version[5] < '0' ||
        version[5] > '9' || version[7] < '0' || version[7] > '9')
        return fail(400, "malformed HTTP version");
    if (version[5] != '1')
        return fail(505, "unsupported HTTP version");
    req_.method.assign(method);
    req_.target.assign(target);
    req_.version_minor = version[7] == '0' ? 0 : 1;  // HTTP/1.2+ talks to us as 1.1
    have_request_line_ = true;
    return state_;
}

http_request_parser::state http_request_parser::parse_header_line(std::string_view line)
{
    if (++header_count_ > max_headers_)
        return fail(431, "too many header fields");
    if (line.front() == ' ' || line.front() == '\t')
        return fail(400, "obsolete line folding");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
        return fail(400, "header field without colon");
    const std::string_view name = line.substr(0, colon);
    if (!is_token(name))
        return fail(400, "malformed header field name");
    const std::string_view raw_value = line.substr(colon + 1);
    if (!std::all_of(raw_value.begin(), raw_value.end(),
                     [](char c) { return is_field_char(static_cast<unsigned char>(c)); }))
        return fail(400, "invalid character in header field value");
    // Validated above: the only white space left is SP and HTAB, what HTTP calls OWS.
    const std::string_view value = trim(raw_value);

    const std::string field = ascii_lower(name);
    if (field == "content-length") {
        const auto n = parse_number<unsigned long long>(value);
        if (!n)
            return fail(400, "malformed Content-Length");
        if (have_content_length_ && *n != content_length_)
            return fail(400, "conflicting Content-Length");
        have_content_length_ = true;
        content_length_ = *n;
    } else if (field == "transfer-encoding") {
        transfer_encoding_ = true;
    } else if (field == "connection") {
        std::string_view rest = value;
        while (!rest.empty()) {
            const std::size_t comma = rest.find(',');
            const std::string option = ascii_lower(trim(rest.substr(0, comma)));
            if (option == "close")
                connection_close_ = true;
            else if (option == "keep-alive")
                connection_keep_alive_ = true;
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
    }
    // Host and everything else are ignored: the token alone selects the answer.
    return state_;
}

}  // namespace lacme::web
