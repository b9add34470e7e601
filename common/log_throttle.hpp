// Rate limiting for log lines a peer can trigger at will (refused requests...): a token bucket
// that lets `burst` lines through at once, then one per `interval`, and counts what it drops so
// the next line let through can say so. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace lacme {

class log_throttle {
public:
    using clock = std::chrono::steady_clock;

    log_throttle(unsigned burst, clock::duration interval);

    // nullopt: drop this line. Otherwise let it through; the value is how many lines were
    // dropped since the last one let through.
    [[nodiscard]] std::optional<std::uint64_t> allow(clock::time_point now = clock::now());

private:
    const unsigned burst_;
    const clock::duration interval_;
    std::mutex mutex_;
    unsigned tokens_;
    clock::time_point refilled_{};  // tokens_ is exact at this time
    std::uint64_t dropped_ = 0;
};

}  // namespace lacme
