// SPDX-License-Identifier: GPL-3.0-or-later
// When to try again: Retry-After (RFC 9110 §10.2.3, delay-seconds or HTTP-date), an exponential
// backoff from a short first interval when the CA gives no hint, the polling limit that the
// `timeout` setting imposes on each wait (as lacme 0.8), and the run's own overall deadline.
// Nothing here sleeps; callers ask and then wait.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace lacme::client {

using clock = std::chrono::steady_clock;

// The one place a CA-supplied delay (Retry-After: delay-seconds or HTTP-date, relative to `now`)
// becomes a duration: it is compared with `cap` before any chrono conversion, so neither
// 10000000000 seconds nor a date in year 9999 can overflow; the result is at most `cap`. A
// date in the past means zero. nullopt for anything unparseable (callers then use their backoff).
std::optional<std::chrono::milliseconds>
parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now, std::chrono::milliseconds cap);

// Parses an HTTP-date in any of the three formats RFC 9110 §5.6.7 requires recipients to accept
// (IMF-fixdate, obsolete RFC 850, asctime). Exposed for tests and fuzzing.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

class backoff {
public:
    backoff(std::chrono::milliseconds first, std::chrono::milliseconds max) : next_(first), max_(max) {}
    // The interval to wait now; doubles the following one up to max.
    std::chrono::milliseconds next();

private:
    std::chrono::milliseconds next_;
    std::chrono::milliseconds max_;
};

// One wait for the CA (challenges, issuance, download): its intervals, and the time it has
// spent pausing, which `timeout` bounds as lacme 0.8 does: the time the CA takes to answer
// each request does not count (that has its own bound per request). 0: unlimited.
class polling_limit {
public:
    polling_limit(backoff intervals, std::chrono::seconds limit) : intervals_(intervals), limit_(limit) {}
    [[nodiscard]] backoff& intervals() noexcept { return intervals_; }
    [[nodiscard]] std::chrono::seconds limit() const noexcept { return limit_; }
    // Counts a pause of `delay`; false when it would reach the limit (nothing counted then).
    bool spend(std::chrono::milliseconds delay);

private:
    backoff intervals_;
    std::chrono::seconds limit_;
    std::chrono::milliseconds spent_{0};
};

// A point in time after which the operation gives up; "none" never expires (timeout = 0).
class deadline {
public:
    static deadline none() { return deadline(); }
    static deadline after(std::chrono::milliseconds span) { return deadline(clock::now() + span); }

    [[nodiscard]] bool bounded() const noexcept { return end_.has_value(); }
    [[nodiscard]] bool expired() const { return end_ && clock::now() >= *end_; }
    // Time left, or `fallback` when unbounded.
    [[nodiscard]] std::chrono::milliseconds remaining(std::chrono::milliseconds fallback) const;
    // True when waiting `delay` still ends before the deadline (any delay: no overflow).
    [[nodiscard]] bool allows(std::chrono::milliseconds delay) const;

private:
    deadline() = default;
    explicit deadline(clock::time_point end) : end_(end) {}
    std::optional<clock::time_point> end_;
};

// Sleeps, resuming after EINTR, for the whole interval.
void sleep_for(std::chrono::milliseconds delay);

}  // namespace lacme::client
