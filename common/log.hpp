// Logging with lacme's levels: info (always), verbose (hidden by --quiet), debug (--debug).
// stderr gets what the level allows; the optional logfile also gets verbose messages under
// --quiet, timestamped, as Perl's lacme-accountd does. Never pass secrets to it.
#pragma once

#include "common/unique_fd.hpp"

#include <mutex>
#include <string>
#include <string_view>

namespace lacme {

enum class log_level { info = 0, verbose = 1, debug = 2 };

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

private:
    log_level threshold_;
    unique_fd logfile_;
    std::mutex mutex_;
};

}  // namespace lacme
