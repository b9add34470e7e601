// SPDX-License-Identifier: GPL-3.0-or-later
// Replay-Nonces from the CA (RFC 8555 §7.2): every response's nonce is kept for the next signed
// request, so newNonce is only asked when none is left.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace lacme::client {

class nonce_pool {
public:
    // The most nonces kept: callers that need more at once work in batches of this size.
    static constexpr std::size_t capacity = 32;

    // Ignores values that are not base64url (RFC 8555 §6.5.1) or absurdly long.
    void add(std::string_view nonce);
    // Most recent first: older nonces are likelier to have expired on the CA's side.
    std::optional<std::string> take();
    [[nodiscard]] std::size_t size() const noexcept { return nonces_.size(); }

private:
    std::deque<std::string> nonces_;
};

}  // namespace lacme::client
