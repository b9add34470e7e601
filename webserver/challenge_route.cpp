// SPDX-License-Identifier: GPL-3.0-or-later
#include "webserver/challenge_route.hpp"

#include <algorithm>

namespace lacme::web {

namespace {

bool istarts_with(std::string_view s, std::string_view prefix)
{
    return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin(), [](char p, char c) {
               return p == ((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
           });
}

}  // namespace

bool is_challenge_token(std::string_view token) noexcept
{
    return !token.empty() && token.size() <= max_token_length && std::all_of(token.begin(), token.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

challenge_route route_request(std::string_view method, std::string_view target) noexcept
{
    challenge_route r;
    if (method == "GET") {
        r.head = false;
    } else if (method == "HEAD") {
        r.head = true;
    } else {
        r.what = challenge_route::kind::method_not_allowed;
        return r;
    }

    std::string_view path = target;
    if (!path.starts_with('/')) {
        // absolute-form (RFC 9112 §3.2.2): scheme "://" authority path; Host is ignored anyway.
        std::size_t skip = 0;
        if (istarts_with(path, "http://"))
            skip = 7;
        else if (istarts_with(path, "https://"))
            skip = 8;
        else {
            r.what = challenge_route::kind::bad_request;  // "*" or authority-form with GET/HEAD
            return r;
        }
        path.remove_prefix(skip);
        const std::size_t slash = path.find('/');
        if (slash == std::string_view::npos) {
            r.what = challenge_route::kind::not_found;
            return r;
        }
        path.remove_prefix(slash);
    }

    if (!path.starts_with(challenge_prefix)) {
        r.what = challenge_route::kind::not_found;
        return r;
    }
    const std::string_view token = path.substr(challenge_prefix.size());
    if (!is_challenge_token(token)) {
        r.what = challenge_route::kind::not_found;
        return r;
    }
    r.what = challenge_route::kind::serve;
    r.token = token;
    return r;
}

}  // namespace lacme::web
