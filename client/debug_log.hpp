// DEBUG=1 output: every line says how far into the run it was written, which is what one needs
// to see where an order spends its time. Never used for secrets.
#pragma once

#include <chrono>
#include <string>

namespace lacme::client {

inline std::string debug_prefix()
{
    // Set once, on first use (at startup); read-only afterwards.
    static const auto start = std::chrono::steady_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    return "[client +" + std::to_string(ms.count()) + "ms] ";
}

}  // namespace lacme::client
