// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/directory_cleanup.hpp"

#include "common/error.hpp"
#include "common/unique_fd.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <vector>

namespace lacme::master {
namespace {

struct dir_closer {
    void operator()(DIR* d) const noexcept { ::closedir(d); }
};

}  // namespace

std::vector<std::string> directory_entries_at(int dir_fd)
{
    std::vector<std::string> names;
    const int own = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
    if (own < 0)
        throw_errno("fcntl(F_DUPFD)");
    const std::unique_ptr<DIR, dir_closer> dir(::fdopendir(own));
    if (!dir) {
        ::close(own);
        throw_errno("fdopendir");
    }
    ::rewinddir(dir.get());  // the duplicate shares the offset of earlier reads
    while (const dirent* entry = ::readdir(dir.get())) {
        const std::string name = entry->d_name;
        if (name != "." && name != "..")
            names.push_back(name);
    }
    return names;
}

namespace {

// Client-made nesting deeper than this is left in place rather than recursed into without bound.
constexpr int max_depth = 8;

// The cleanup is best effort: a directory it cannot list is left as it is.
std::vector<std::string> entries_or_none(int dir_fd)
{
    try {
        return directory_entries_at(dir_fd);
    } catch (const error&) {
        return {};
    }
}

bool same_inode(const struct stat& a, const struct stat& b)
{
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

bool empty_at(int dir_fd, const std::string& last, int depth);

void remove_subdirectory(int dir_fd, const std::string& name, uid_t owner, int depth)
{
    if (depth >= max_depth)
        return;
    const unique_fd sub(::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st {};
    if (!sub || ::fstat(sub.get(), &st) != 0 || st.st_uid != owner)
        return;
    empty_at(sub.get(), {}, depth + 1);
    struct stat now {};
    if (::fstatat(dir_fd, name.c_str(), &now, AT_SYMLINK_NOFOLLOW) == 0 && same_inode(st, now))
        ::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR);
}

bool empty_at(int dir_fd, const std::string& last, int depth)
{
    struct stat self {};
    if (::fstat(dir_fd, &self) != 0)
        return false;
    bool had_last = false;
    for (const auto& name : entries_or_none(dir_fd)) {
        if (!last.empty() && name == last) {
            had_last = true;
            continue;
        }
        if (::unlinkat(dir_fd, name.c_str(), 0) != 0 && (errno == EISDIR || errno == EPERM))
            remove_subdirectory(dir_fd, name, self.st_uid, depth);
    }
    if (had_last)
        ::unlinkat(dir_fd, last.c_str(), 0);
    return entries_or_none(dir_fd).empty();
}

}  // namespace

bool empty_directory_at(int dir_fd, const std::string& last) noexcept
{
    try {
        return empty_at(dir_fd, last, 0);
    } catch (const std::exception&) {
        return false;  // out of memory listing a directory: leave the rest
    }
}

bool remove_directory_at(int parent_fd, const std::string& name, int dir_fd) noexcept
{
    if (!empty_directory_at(dir_fd))
        return false;
    struct stat held {};
    struct stat entry {};
    if (::fstat(dir_fd, &held) != 0 || ::fstatat(parent_fd, name.c_str(), &entry, AT_SYMLINK_NOFOLLOW) != 0 ||
        !same_inode(held, entry))
        return false;
    return ::unlinkat(parent_fd, name.c_str(), AT_REMOVEDIR) == 0;
}

}  // namespace lacme::master
