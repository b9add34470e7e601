// SPDX-License-Identifier: GPL-3.0-or-later
// The one logger of every lacme process. Levels as lacme's: info (always), verbose (hidden by
// --quiet), debug (--debug). stderr gets what the level allows; the optional logfile also gets
// verbose messages under --quiet, timestamped, as Perl's lacme-accountd does. Lines a peer can
// provoke at will go through log_limited. Never pass secrets to it; pass text from outside
// through printable_for_log (common/text.hpp).
#pragma once

#include "common/rate_limiter.hpp"
#include "common/unique_fd.hpp"

#include <mutex>
#include <string>
#include <string_view>

namespace lacme {

enum class log_level { info = 0, verbose = 1, debug = 2 };

// lacme 0.8's prefixes of a failure's and of a skipped step's line (scripts and tests grep them).
inline constexpr std::string_view error_prefix = "Error: ";
inline constexpr std::string_view warning_prefix = "Warning: ";
[[nodiscard]] std::string error_text(std::string_view what);  // "Error: what"
[[nodiscard]] std::string warning_text(std::string_view what);  // "Warning: what"

class logger {
public:
    explicit logger(log_level threshold = log_level::verbose) : threshold_(threshold) {}

    void set_threshold(log_level threshold) noexcept { threshold_ = threshold; }
    [[nodiscard]] bool enabled(log_level level) const noexcept { return level <= threshold_; }
    // Whether a message of this level goes anywhere (stderr or the logfile).
    [[nodiscard]] bool wants(log_level level) const noexcept
    {
        return enabled(level) || (logfile_.valid() && level <= log_level::verbose);
    }
    // Opens (creating with mode 0600) and appends to path; throws lacme::error on failure.
    void open_logfile(const std::string& path);

    void log(log_level level, std::string_view message);
    void info(std::string_view message) { log(log_level::info, message); }
    void verbose(std::string_view message) { log(log_level::verbose, message); }
    void debug(std::string_view message) { log(log_level::debug, message); }
    // At the info level: a failure or a skipped step is always shown.
    void error(std::string_view what) { info(error_text(what)); }
    void warning(std::string_view what) { info(warning_text(what)); }

    // Like log(), for lines a peer can make happen again and again: each `kind` (a fixed name,
    // e.g. "nosign") passes the rate limiter's bucket, and the next line of a kind let through
    // after some were held back ends with " (N similar lines suppressed)".
    void log_limited(log_level level, std::string_view kind, std::string_view message,
                     rate_limiter::clock::time_point now = rate_limiter::clock::now());
    // Replaces the default limit (5 lines at once, then one a second per kind).
    void set_rate_limit(unsigned burst, rate_limiter::clock::duration refill);

private:
    log_level threshold_;
    unique_fd logfile_;
    rate_limiter limiter_;
    std::mutex mutex_;
};

}  // namespace lacme
