// SPDX-License-Identifier: GPL-3.0-or-later
// Test helper: an account key whose greeting and signature are known in advance (RFC 7638
// §3.1's RSA public key; every signature is the bytes fb ff 00, "-_8A"), and a request line it
// accepts. Shared by the accountd unit tests and the accountd connection fuzz target.
#pragma once

#include "accountd/keys/signer.hpp"
#include "common/base64url.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::test {

inline const std::string rfc7638_n =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknj"
    "hMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQ"
    "vRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-"
    "kEgU8awapJzKnqDKgw";

// The response line to every request fixed_signer signs.
inline const std::string fixed_signature_line = "-_8A\r\n";

class fixed_signer final : public accountd::signer {
public:
    // inline_signing: sign on the event loop (an in-memory key) instead of the worker pool.
    explicit fixed_signer(bool inline_signing = false) : inline_(inline_signing) {}

    [[nodiscard]] jws_algorithm algorithm() const noexcept override { return jws_algorithm::rs256; }
    [[nodiscard]] const nlohmann::json& jwk() const noexcept override { return jwk_; }
    [[nodiscard]] std::vector<std::uint8_t> sign(std::string_view) override { return {0xfb, 0xff, 0x00}; }
    [[nodiscard]] bool signs_without_blocking() const noexcept override { return inline_; }

private:
    bool inline_;
    nlohmann::json jwk_ = {{"n", rfc7638_n}, {"kty", "RSA"}, {"e", "AQAB"}};
};

// A request naming fixed_signer's key (RS256) by its kid.
inline std::string valid_line()
{
    const nlohmann::json header = {{"alg", "RS256"},
                                   {"nonce", "bm9uY2U"},
                                   {"url", "https://acme.example/acme/new-order"},
                                   {"kid", "https://acme.example/acme/acct/1"}};
    return base64url_encode(header.dump()) + "." + base64url_encode(std::string_view(R"({"identifiers":[]})"));
}

}  // namespace lacme::test
