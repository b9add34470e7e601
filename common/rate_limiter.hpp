// SPDX-License-Identifier: GPL-3.0-or-later
// A token bucket per kind of event: lets bursts of `burst` events through, then one per
// `refill` interval, and counts what it held back. Used to keep a peer that can trigger a log
// line again and again (refused requests, accept failures) from flooding the log.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace lacme {

class rate_limiter {
public:
    using clock = std::chrono::steady_clock;

    explicit rate_limiter(unsigned burst = 5, clock::duration refill = std::chrono::seconds(1))
        : burst_(burst), refill_(refill)
    {}

    // nullopt: this event of `kind` is over the limit (and counted). Otherwise it may go
    // through, and the value is how many events of that kind were held back since the last
    // one that went through. `kind` is a fixed name chosen by the caller, never peer input:
    // each distinct kind keeps a bucket.
    [[nodiscard]] std::optional<std::uint64_t> admit(std::string_view kind, clock::time_point now = clock::now());

private:
    struct bucket {
        unsigned tokens;
        clock::time_point refilled;
        std::uint64_t held_back = 0;
    };

    unsigned burst_;
    clock::duration refill_;
    std::map<std::string, bucket, std::less<>> buckets_;
};

}  // namespace lacme
