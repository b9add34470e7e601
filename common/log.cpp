// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/log.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <ctime>

namespace lacme {
namespace {

// One write(2) per line so concurrent writers never interleave within a line.
void write_line(int fd, std::string_view line)
{
    try {
        write_all(fd, line, "the log");
    } catch (const error&) {
        // a log that cannot be written must not take the service down
    }
}

}  // namespace

std::string error_text(std::string_view what)
{
    return std::string(error_prefix) + std::string(what);
}

std::string warning_text(std::string_view what)
{
    return std::string(warning_prefix) + std::string(what);
}

void logger::open_logfile(const std::string& path)
{
    unique_fd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600));
    if (!fd)
        throw_errno("can't open log file " + path);
    logfile_ = std::move(fd);
}

void logger::set_rate_limit(unsigned burst, rate_limiter::clock::duration refill)
{
    const std::lock_guard lock(mutex_);
    limiter_ = rate_limiter(burst, refill);
}

void logger::log_limited(log_level level, std::string_view kind, std::string_view message,
                         rate_limiter::clock::time_point now)
{
    if (!wants(level))
        return;
    std::optional<std::uint64_t> held_back;
    {
        const std::lock_guard lock(mutex_);
        held_back = limiter_.admit(kind, now);
    }
    if (!held_back)
        return;
    if (*held_back == 0)
        log(level, message);
    else
        log(level, std::string(message) + " (" + std::to_string(*held_back) + " similar lines suppressed)");
}

void logger::log(log_level level, std::string_view message)
{
    if (!wants(level))
        return;
    const bool to_stderr = enabled(level);
    const bool to_file = logfile_.valid();
    std::string line(message);
    line += '\n';
    const std::lock_guard lock(mutex_);
    if (to_file) {
        const std::time_t now = std::time(nullptr);
        std::tm local{};
        localtime_r(&now, &local);
        char stamp[64];
        const std::size_t stamp_size = std::strftime(stamp, sizeof stamp, "[%a %b %e %H:%M:%S %Y] ", &local);
        write_line(logfile_.get(), std::string(stamp, stamp_size) + line);
    }
    if (to_stderr)
        write_line(STDERR_FILENO, line);
}

}  // namespace lacme
