// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/challenge_directory.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/path.hpp"
#include "common/user_db.hpp"
#include "master/directory_cleanup.hpp"
#include "master/iptables.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <vector>

namespace lacme::master {
namespace {

constexpr int dir_flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

uid_t uid_of(const std::string& user)
{
    const auto entry = find_user(user);
    if (!entry)
        throw error("unknown user " + user);
    return entry->uid;
}

struct stat stat_of(int fd, const std::string& path)
{
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        throw_errno("fstat(" + path + ")");
    return st;
}

// Locked (LOCK_EX) while fresh directories are made or abandoned ones removed, so a scan never
// sees a directory made but not yet locked by its run.
class base_lock {
public:
    explicit base_lock(int fd) : fd_(fd)
    {
        if (::flock(fd_, LOCK_EX) != 0)
            throw_errno("flock(challenge base)");
    }
    base_lock(const base_lock&) = delete;
    base_lock& operator=(const base_lock&) = delete;
    ~base_lock() { ::flock(fd_, LOCK_UN); }

private:
    int fd_;
};

bool is_fresh_name(const std::string& name)
{
    return name.starts_with(fresh_challenge_prefix);
}

// Whether a user other than root and `trusted` can rename `entry` (an entry of `dir`) away: they
// own `dir` (and can chmod it), or can write it and it is not sticky with `entry` theirs.
bool entry_swappable(const struct stat& dir, const struct stat& entry, uid_t trusted)
{
    const auto is_trusted = [trusted](uid_t uid) { return uid == 0 || uid == trusted; };
    if (!is_trusted(dir.st_uid))
        return true;
    const bool others_write = (dir.st_mode & S_IWOTH) != 0 || ((dir.st_mode & S_IWGRP) != 0 && dir.st_gid != 0);
    return others_write && !((dir.st_mode & S_ISVTX) != 0 && is_trusted(entry.st_uid));
}

// How many levels above the directory open as dir_fd is the first ancestor in which some other
// user than root and `trusted` could swap the path's next component (0: its parent), walking up
// through ".." from the held fd, never through the path (which that user may already have
// changed). nullopt when every ancestor up to "/" is safe.
std::optional<int> first_swappable_ancestor(int dir_fd, uid_t trusted)
{
    constexpr int max_levels = 256;
    unique_fd current(::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0));
    if (!current)
        throw_errno("fcntl(F_DUPFD)");
    struct stat below = stat_of(current.get(), "challenge-directory");
    for (int level = 0; level < max_levels; ++level) {
        unique_fd parent(::openat(current.get(), "..", dir_flags));
        if (!parent)
            throw_errno("open(challenge-directory's ancestor)");
        const struct stat above = stat_of(parent.get(), "challenge-directory's ancestor");
        if (above.st_dev == below.st_dev && above.st_ino == below.st_ino)
            return std::nullopt;  // "/" is its own parent
        if (entry_swappable(above, below, trusted))
            return level;
        below = above;
        current = std::move(parent);
    }
    throw error("challenge-directory: more than " + std::to_string(max_levels) + " ancestors");
}

// The path of the ancestor `level` levels above the directory named `path` (for messages only).
std::string ancestor_name(std::string path, int level)
{
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    for (int i = 0; i <= level; ++i) {
        const auto slash = path.find_last_of('/');
        if (slash == std::string::npos)
            return ".";
        path.resize(slash == 0 ? 1 : slash);
        while (path.size() > 1 && path.back() == '/')
            path.pop_back();
    }
    return path;
}

}  // namespace

unique_fd open_root_private_directory(const std::string& path)
{
    if (::mkdir(path.c_str(), 0711) != 0 && errno != EEXIST)
        throw_errno("mkdir(" + path + ")");
    unique_fd fd(::open(path.c_str(), dir_flags));
    if (!fd)
        throw_errno("open(" + path + ")");
    const struct stat st = stat_of(fd.get(), path);
    if (st.st_uid != 0 || (st.st_mode & 022) != 0)
        throw error(path + " must be root's and not writable by group or others");
    // Made 0700 by the iptables state perhaps: adding traversal (not listing) is safe.
    if ((st.st_mode & 0011) != 0011 && ::fchmod(fd.get(), (st.st_mode & 07777) | 0111) != 0)
        throw_errno("chmod(" + path + ")");
    return fd;
}

unique_fd private_base(std::string& path)
{
    if (::geteuid() != 0) {
        path = temp_directory();
        unique_fd fd(::open(path.c_str(), dir_flags));
        if (!fd)
            throw_errno("open(" + path + ")");
        return fd;
    }
    const std::array<std::string, 2> candidates{runtime_directory(), "/var/lib/lacme"};
    std::string first_error;
    for (const auto& candidate : candidates) {
        try {
            path = candidate;
            return open_root_private_directory(candidate);
        } catch (const error& e) {
            if (first_error.empty())
                first_error = e.what();
        }
    }
    throw error("no private directory for challenge files: " + first_error);
}

int remove_abandoned_challenge_directories(int base_fd, uid_t owner) noexcept
{
    int removed = 0;
    try {
        for (const auto& name : directory_entries_at(base_fd)) {
            if (!is_fresh_name(name))
                continue;
            const unique_fd dir(::openat(base_fd, name.c_str(), dir_flags));
            struct stat st {};
            if (!dir || ::fstat(dir.get(), &st) != 0 || st.st_uid != owner)
                continue;
            if (::flock(dir.get(), LOCK_EX | LOCK_NB) != 0)
                continue;  // a live run's
            if (remove_directory_at(base_fd, name, dir.get()))
                ++removed;
        }
    } catch (const std::exception&) {
        // The base unreadable: nothing to clean now; the next run tries again.
    }
    return removed;
}

challenge_directory challenge_directory::fresh(const std::string& client_user)
{
    std::string base_path;
    unique_fd base = private_base(base_path);
    const uid_t owner = client_user.empty() ? ::geteuid() : uid_of(client_user);
    const base_lock lock(base.get());
    remove_abandoned_challenge_directories(base.get(), owner);
    std::string path = base_path + "/" + fresh_challenge_prefix + "XXXXXX";
    if (::mkdtemp(path.data()) == nullptr)
        throw_errno("mkdtemp(" + path + ")");
    const std::string name = path.substr(base_path.size() + 1);
    unique_fd dir(::openat(base.get(), name.c_str(), dir_flags));
    if (!dir) {
        const int open_errno = errno;
        ::unlinkat(base.get(), name.c_str(), AT_REMOVEDIR);
        errno = open_errno;
        throw_errno("open(" + path + ")");
    }
    challenge_directory made(path, std::move(dir), std::move(base), name);
    if (::flock(made.dir_.get(), LOCK_EX | LOCK_NB) != 0)
        throw_errno("flock(" + path + ")");
    if (::fchmod(made.dir_.get(), 0755) != 0)
        throw_errno("chmod(" + path + ")");
    if (!client_user.empty() && ::fchown(made.dir_.get(), owner, static_cast<gid_t>(-1)) != 0)
        throw_errno("chown(" + path + ")");
    return made;
}

challenge_directory challenge_directory::existing(const std::string& path, const std::string& webserver_user)
{
    unique_fd dir(::open(path.c_str(), dir_flags));
    if (!dir)
        throw_errno("challenge-directory " + path);
    const uid_t webserver_uid = webserver_user.empty() ? 0 : uid_of(webserver_user);
    if (const auto swappable = first_swappable_ancestor(dir.get(), webserver_uid))
        throw error("refusing challenge-directory " + path + ": " + ancestor_name(path, *swappable) +
                    " is writable by a user other than root and the webserver user, who could swap it");
    if (!directory_entries_at(dir.get()).empty())
        throw error("refusing to use non-empty challenge directory " + path);
    unique_fd fd(::openat(dir.get(), challenge_lock_name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600));
    const std::string lock = path + "/" + challenge_lock_name;
    if (!fd)
        throw_errno("can't create lockfile " + lock);
    write_all(fd.get(), std::to_string(::getpid()) + "\n", lock);
    return challenge_directory(path, std::move(dir), unique_fd(), {});
}

challenge_directory::~challenge_directory()
{
    if (!dir_)
        return;
    if (parent_)
        remove_directory_at(parent_.get(), name_, dir_.get());
    else
        empty_directory_at(dir_.get(), challenge_lock_name);
}

}  // namespace lacme::master
