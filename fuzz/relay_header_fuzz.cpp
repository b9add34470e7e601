// SPDX-License-Identifier: GPL-3.0-or-later
// The relay header line a relay peer sends to lacme-accountd's relay socket: parse anything; a
// parsed header formats back to the same line.
#include "accountd/relay/relay_header.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    const auto result = lacme::accountd::parse_relay_header(line);
    if (result.header && lacme::accountd::format_relay_header(*result.header) != std::string(line) + "\n")
        std::abort();
    if (!result.header && result.refusal.empty())
        std::abort();
    return 0;
}
