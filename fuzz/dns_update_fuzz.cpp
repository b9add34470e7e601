// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes what the RFC 2136 publisher reads: a TSIG key file (BIND's format, parsed by hand in
// master/dns_tsig_key.cpp) and a DNS server's response to an update (parsed and verified by
// libldns through dns_update::failure_of). The first byte picks which. Invariants: a key is
// parsed or refused with one line that never quotes the secret; a response is never a success
// (it cannot carry a valid MAC), and its failure is one non-empty line.
#include "common/error.hpp"
#include "master/dns_tsig_key.hpp"
#include "master/dns_update.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

using namespace lacme::master;

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

bool one_line(std::string_view text)
{
    return !text.empty() && text.find('\n') == std::string_view::npos;
}

void fuzz_key(std::string_view text)
{
    try {
        const tsig_key key = parse_tsig_key(text, "k");
        require(!key.name.empty() && !key.secret.empty());
        require(std::find(tsig_algorithms.begin(), tsig_algorithms.end(), key.algorithm) != tsig_algorithms.end());
    } catch (const lacme::error& e) {
        const std::string_view message(e.what());
        require(message.starts_with("k: ") && message.find('\n') == std::string_view::npos);
    }
}

void fuzz_response(std::span<const std::uint8_t> bytes)
{
    static const tsig_key key = parse_tsig_key(
        "key \"lacme-key\" { algorithm hmac-sha256; secret \"Co+iNSaOQTgIUyU19H59LZuYE5jVo0WnQpMvB1qVh9Y=\"; };", "k");
    static const dns_update update("example.org", lacme::dns01_action::publish,
                                   {"_acme-challenge.example.org", "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"}, key,
                                   0x4242);
    const auto failure = update.failure_of(bytes, key);
    require(failure.has_value() && one_line(failure->reason));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::span<const std::uint8_t> rest(data + 1, size - 1);
    if (data[0] & 1)
        fuzz_response(rest);
    else
        fuzz_key(std::string_view(reinterpret_cast<const char*>(rest.data()), rest.size()));
    return 0;
}
