// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes the webserver's request parser the way connections drive it: the same bytes fed whole
// and in fuzzer-chosen chunks must give the same outcome; every request it accepts must satisfy
// the invariants routing relies on; routing and response building must cope with all of them.
#include "webserver/challenge_route.hpp"
#include "webserver/http_request_parser.hpp"
#include "webserver/http_response.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using lacme::web::http_request_parser;
using state = http_request_parser::state;

namespace {

struct outcome {
    std::vector<std::string> requests;  // "method target minor keepalive body" per request
    state last = state::incomplete;
    int error_status = 0;
};

void check(bool ok)
{
    if (!ok)
        std::abort();
}

std::string describe_and_check(const lacme::web::http_request& req)
{
    check(!req.method.empty());
    check(!req.target.empty());
    for (const char c : req.target)
        check(static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f);
    for (const char c : req.method)
        check(c > 0x20 && c < 0x7f && c != '(' && c != ')' && c != ',' && c != '/' && c != ':' && c != '"');
    check(req.version_minor == 0 || req.version_minor == 1);

    const auto route = lacme::web::route_request(req.method, req.target);
    if (route.what == lacme::web::challenge_route::kind::serve) {
        check(lacme::web::is_challenge_token(route.token));
        check(route.token.find('/') == std::string_view::npos && route.token.find('.') == std::string_view::npos);
    }
    std::string out;
    lacme::web::http_response resp;
    resp.status = route.what == lacme::web::challenge_route::kind::serve ? 200 : 404;
    resp.body = route.token;
    resp.head = route.head;
    lacme::web::append_response(out, resp);
    check(out.starts_with("HTTP/1.1 "));

    return req.method + ' ' + req.target + ' ' + std::to_string(req.version_minor) +
           (req.keep_alive ? " ka" : " close") + (req.has_body ? " body" : "");
}

// Drives a parser over data split at the given chunk sizes, pipelining like a connection does.
outcome run(std::string_view data, const std::vector<std::size_t>& chunks, std::size_t max_head)
{
    outcome o;
    http_request_parser p(max_head);
    std::size_t chunk_index = 0;
    while (!data.empty()) {
        std::size_t n = chunks.empty() ? data.size() : chunks[chunk_index++ % chunks.size()];
        n = std::min(n == 0 ? 1 : n, data.size());
        std::string_view piece = data.substr(0, n);
        data.remove_prefix(n);
        while (!piece.empty()) {
            const auto r = p.feed(piece);
            check(r.consumed <= piece.size());
            piece.remove_prefix(r.consumed);
            o.last = r.st;
            if (r.st == state::incomplete) {
                check(piece.empty());
                break;
            }
            if (r.st == state::error) {
                const int s = p.error_status();
                check(s == 400 || s == 414 || s == 431 || s == 505);
                o.error_status = s;
                return o;
            }
            o.requests.push_back(describe_and_check(p.request()));
            p.reset();
            o.last = state::incomplete;
        }
    }
    return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size)
{
    // First byte: chunking pattern and head limit; the rest is the byte stream.
    if (size == 0)
        return 0;
    const unsigned mode = bytes[0];
    const std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
    const std::size_t max_head = (mode & 0x80) ? 64 + (mode & 0x3f) : http_request_parser::default_max_head;

    const outcome whole = run(data, {}, max_head);
    std::vector<std::size_t> chunks;
    switch (mode & 0x3) {
    case 0: chunks = {1}; break;
    case 1: chunks = {2, 3, 5, 7}; break;
    case 2: chunks = {((mode >> 2) & 0x1f) + 1u}; break;
    default: chunks = {17, 1, 64, 3}; break;
    }
    const outcome split = run(data, chunks, max_head);
    // Chunking must never change what the server does with the stream.
    check(whole.requests == split.requests);
    check(whole.last == split.last);
    check(whole.error_status == split.error_status);
    return 0;
}
