// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/nonce_pool.hpp"

#include "common/base64url.hpp"

namespace lacme::client {

void nonce_pool::add(std::string_view nonce)
{
    if (nonce.empty() || nonce.size() > 512 || !is_base64url_alphabet(nonce))
        return;
    nonces_.emplace_back(nonce);
    if (nonces_.size() > capacity)
        nonces_.pop_front();
}

std::optional<std::string> nonce_pool::take()
{
    if (nonces_.empty())
        return std::nullopt;
    std::string nonce = std::move(nonces_.back());
    nonces_.pop_back();
    return nonce;
}

}  // namespace lacme::client
