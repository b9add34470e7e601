// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes the INI reader used for every lacme configuration file: it must return a config or
// throw lacme::error (with file:line), never crash or throw anything else.
#include "common/error.hpp"
#include "common/ini_config.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const auto config = lacme::ini_config::parse(text, "fuzz.conf");
        config.check({{"", {"privkey", "socket"}}, {"client", {"server", "timeout"}}});
        (void)config.get("client", "server");
    } catch (const lacme::error&) {
    }
    return 0;
}
