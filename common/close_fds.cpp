// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/close_fds.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>

namespace lacme {
namespace {

constexpr int first_closable = STDERR_FILENO + 1;

bool kept(int fd, std::span<const int> keep) noexcept
{
    return fd < first_closable || std::find(keep.begin(), keep.end(), fd) != keep.end();
}

// The smallest kept fd >= from, or INT_MAX: the end of the next span to close.
int next_kept(int from, std::span<const int> keep) noexcept
{
    int next = INT_MAX;
    for (const int fd : keep)
        if (fd >= from && fd < next)
            next = fd;
    return next;
}

bool close_with_close_range(std::span<const int> keep) noexcept
{
#ifdef SYS_close_range
    for (int first = first_closable;;) {
        const int stop = next_kept(first, keep);
        const unsigned last = stop == INT_MAX ? ~0U : static_cast<unsigned>(stop - 1);
        if (stop > first && ::syscall(SYS_close_range, static_cast<unsigned>(first), last, 0U) != 0)
            return false;
        if (stop == INT_MAX)
            return true;
        first = stop + 1;
    }
#else
    (void)keep;
    return false;
#endif
}

// Parses a /proc/self/fd entry name; -1 for "." and "..".
int fd_number(const char* name) noexcept
{
    if (*name == '\0')
        return -1;
    long n = 0;
    for (; *name != '\0'; ++name) {
        if (*name < '0' || *name > '9' || n > INT_MAX / 10)
            return -1;
        n = n * 10 + (*name - '0');
    }
    return n > INT_MAX ? -1 : static_cast<int>(n);
}

struct linux_dirent64 {
    std::uint64_t d_ino;
    std::int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[1];
};

// Closing entries while listing the directory may skip some, so list again until a pass
// closes nothing (as glibc's closefrom fallback does).
bool close_with_proc(std::span<const int> keep) noexcept
{
    const int dir = ::open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return false;
    alignas(linux_dirent64) char buffer[4096];
    for (bool closed_some = true; closed_some;) {
        closed_some = false;
        if (::lseek(dir, 0, SEEK_SET) != 0)
            break;
        for (;;) {
            const long got = ::syscall(SYS_getdents64, dir, buffer, sizeof buffer);
            if (got <= 0)
                break;
            for (long at = 0; at < got;) {
                const auto* entry = reinterpret_cast<const linux_dirent64*>(buffer + at);
                at += entry->d_reclen;
                const int fd = fd_number(entry->d_name);
                if (fd >= 0 && fd != dir && !kept(fd, keep)) {
                    ::close(fd);
                    closed_some = true;
                }
            }
        }
    }
    ::close(dir);
    return true;
}

void close_every_number(std::span<const int> keep) noexcept
{
    rlimit limit{};
    const rlim_t max = ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
                           ? std::min<rlim_t>(limit.rlim_cur, INT_MAX)
                           : 65536;
    for (int fd = first_closable; static_cast<rlim_t>(fd) < max; ++fd)
        if (!kept(fd, keep))
            ::close(fd);
}

}  // namespace

void close_fds_except(std::span<const int> keep) noexcept
{
    if (close_with_close_range(keep) || close_with_proc(keep))
        return;
    close_every_number(keep);
}

}  // namespace lacme
