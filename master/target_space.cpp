// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/target_space.hpp"

#include "common/path.hpp"
#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>

namespace lacme::master {
namespace {

constexpr std::uint64_t minimum_install_size = std::uint64_t{64} * 1024;
constexpr std::uint64_t growth_factor = 3;

std::optional<std::uint64_t> file_size(int dirfd, const std::string& path)
{
    const std::string name = path.substr(path.rfind('/') + 1);
    struct stat st {};
    if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
        return std::nullopt;
    return static_cast<std::uint64_t>(st.st_size);
}

}  // namespace

std::uint64_t expected_install_size(std::optional<std::uint64_t> current_size)
{
    const std::uint64_t current = current_size.value_or(0);
    // A size beyond any real file would overflow the multiplication: ask for all of it.
    if (current > UINT64_MAX / growth_factor)
        return UINT64_MAX;
    return std::max(minimum_install_size, growth_factor * current);
}

std::uint64_t available_bytes(const struct statvfs& fs, bool privileged)
{
    const std::uint64_t blocks = privileged ? fs.f_bfree : fs.f_bavail;
    return fs.f_frsize != 0 && blocks > UINT64_MAX / fs.f_frsize ? UINT64_MAX : blocks * fs.f_frsize;
}

std::optional<std::string> space_shortage(const std::string& dir, std::uint64_t available, std::uint64_t needed)
{
    if (available >= needed)
        return std::nullopt;
    return "not enough free space in " + dir + ": " + std::to_string(available) + " bytes available, about " +
           std::to_string(needed) + " needed";
}

std::vector<std::string> target_space_problems(const std::vector<std::string>& targets)
{
    struct directory_need {
        unique_fd fd;
        std::uint64_t bytes = 0;
    };
    std::map<std::string, directory_need> needs;
    for (const auto& target : targets) {
        const std::string dir = parent_directory(target);
        auto& need = needs[dir];
        if (!need.fd)
            need.fd = unique_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        const std::uint64_t more = need.fd ? expected_install_size(file_size(need.fd.get(), target)) : 0;
        need.bytes = std::min(UINT64_MAX - more, need.bytes) + more;
    }
    std::vector<std::string> problems;
    for (const auto& [dir, need] : needs) {
        struct statvfs fs {};
        if (!need.fd || ::fstatvfs(need.fd.get(), &fs) != 0)
            continue;  // left to the target directory check, or to the install itself
        if (const auto shortage = space_shortage(dir, available_bytes(fs, ::geteuid() == 0), need.bytes))
            problems.push_back(*shortage);
    }
    return problems;
}

}  // namespace lacme::master
