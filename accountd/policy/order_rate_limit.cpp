// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/order_rate_limit.hpp"

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/file_lock.hpp"
#include "common/parse_number.hpp"
#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace lacme::accountd {
namespace {

constexpr std::chrono::seconds window{3600};
constexpr std::size_t max_state_bytes = std::size_t{64} * 1024;

// The returned descriptor holds the lock until it is closed.
unique_fd lock_exclusively(const std::string& path, std::chrono::milliseconds timeout)
{
    unique_fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600));
    if (!fd)
        throw_errno("can't open " + path);
    if (!lock_exclusively_within(fd.get(), path, timeout))
        throw error("can't lock " + path + ": held for more than " + std::to_string(timeout.count()) + " ms");
    return fd;
}

// Unix times, one a line; a missing file is an empty list.
std::vector<std::int64_t> read_times(const std::string& path)
{
    const std::string text = read_file_if_present(path, max_state_bytes).value_or("");
    std::vector<std::int64_t> times;
    for (std::size_t start = 0; start < text.size();) {
        const std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
            throw error(path + ": corrupt (no final newline)");
        const auto t = parse_number<std::int64_t>(std::string_view(text).substr(start, end - start));
        if (!t)
            throw error(path + ": corrupt (not a time on line " + std::to_string(times.size() + 1) + ")");
        times.push_back(*t);
        start = end + 1;
    }
    return times;
}

}  // namespace

void require_state_directory(const std::string& directory, const std::string& origin)
{
    struct stat st {};
    if (::stat(directory.c_str(), &st) != 0)
        throw error(origin + ": state-directory " + directory + ": " + std::strerror(errno));
    if (!S_ISDIR(st.st_mode))
        throw error(origin + ": state-directory " + directory + ": not a directory");
}

order_rate_limit::order_rate_limit(const std::string& state_directory, const std::string& label, unsigned max_per_hour,
                                   std::chrono::milliseconds lock_timeout)
    : lock_path_(state_directory + "/" + label + ".lock"), state_path_(state_directory + "/" + label + ".orders"),
      max_per_hour_(max_per_hour), lock_timeout_(lock_timeout)
{}

bool order_rate_limit::admit(std::chrono::system_clock::time_point now)
{
    const unique_fd lock = lock_exclusively(lock_path_, lock_timeout_);
    const std::int64_t t = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    std::string kept;
    std::size_t count = 0;
    for (const std::int64_t time : read_times(state_path_)) {
        if (time > t - window.count()) {
            kept += std::to_string(time) + "\n";
            ++count;
        }
    }
    if (count >= max_per_hour_)
        return false;
    write_file_atomically(state_path_, kept + std::to_string(t) + "\n", 0600);
    return true;
}

}  // namespace lacme::accountd
