// SPDX-License-Identifier: GPL-3.0-or-later
// Maps a parsed request line to what the server does with it. Matching is on the raw bytes of
// the request-target, with no percent-decoding or path normalisation: a token is
// [A-Za-z0-9_-]+ and nothing else, so "..", "%2e", "%2f", "?" and "/" can never reach open(2).
#pragma once

#include <string_view>

namespace lacme::web {

inline constexpr std::string_view challenge_prefix = "/.well-known/acme-challenge/";
inline constexpr std::size_t max_token_length = 255;  // NAME_MAX

struct challenge_route {
    enum class kind { serve, not_found, method_not_allowed, bad_request };
    kind what = kind::not_found;
    bool head = false;  // HEAD: headers only
    std::string_view token;  // points into the target when what == serve
};

[[nodiscard]] bool is_challenge_token(std::string_view token) noexcept;

// method and target as sent; absolute-form targets (http://host/path) are reduced to their path.
[[nodiscard]] challenge_route route_request(std::string_view method, std::string_view target) noexcept;

}  // namespace lacme::web
