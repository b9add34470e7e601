// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/run_log.hpp"

#include <string>

namespace lacme::client {

void run_log::debug(std::string_view message)
{
    if (!debugging())
        return;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_);
    out_.debug("[client +" + std::to_string(ms.count()) + "ms] " + std::string(message));
}

}  // namespace lacme::client
