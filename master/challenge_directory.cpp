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
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <deque>
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

// The target of the symbolic link `name` in dir_fd (bounded: PATH_MAX).
std::string link_target(int dir_fd, const std::string& name)
{
    std::array<char, 4096> buffer{};
    const ssize_t n = ::readlinkat(dir_fd, name.c_str(), buffer.data(), buffer.size());
    if (n < 0 || static_cast<std::size_t>(n) >= buffer.size())
        throw_errno("readlink(" + name + ")");
    return std::string(buffer.data(), static_cast<std::size_t>(n));
}

void push_components_front(std::deque<std::string>& queue, const std::string& path)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto slash = std::min(path.find('/', start), path.size());
        if (slash > start)
            parts.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    queue.insert(queue.begin(), parts.begin(), parts.end());
}

unique_fd open_start(bool absolute)
{
    unique_fd fd(::open(absolute ? "/" : ".", dir_flags));
    if (!fd)
        throw_errno(absolute ? "open(/)" : "open(.)");
    return fd;
}

// Opens the directory `path` one component at a time with O_NOFOLLOW, relative to the
// directory reached so far. A symbolic link on the way is followed only when nobody but root
// and `trusted` could have put it there (the same test as for ancestors): a link another user
// planted, or swapped in for a directory, is refused rather than followed.
unique_fd open_directory_by_components(const std::string& path, uid_t trusted)
{
    constexpr int max_links = 40;  // the kernel's own bound (ELOOP)
    if (path.empty())
        throw error("challenge-directory is empty");
    std::deque<std::string> pending;
    push_components_front(pending, path);
    unique_fd current = open_start(path.starts_with('/'));
    int links = 0;
    while (!pending.empty()) {
        const std::string name = std::move(pending.front());
        pending.pop_front();
        if (name == ".")
            continue;
        if (unique_fd next(::openat(current.get(), name.c_str(), dir_flags)); next) {
            current = std::move(next);
            continue;
        }
        if (errno != ELOOP && errno != ENOTDIR)
            throw_errno("challenge-directory " + path);
        struct stat entry {};
        if (::fstatat(current.get(), name.c_str(), &entry, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISLNK(entry.st_mode))
            throw error("challenge-directory " + path + ": " + name + " is not a directory");
        if (entry_swappable(stat_of(current.get(), name), entry, trusted))
            throw error("refusing challenge-directory " + path + ": its component " + name +
                        " is a symbolic link in a directory a user other than root and the webserver user can "
                        "write, who could point it anywhere");
        if (++links > max_links)
            throw error("challenge-directory " + path + ": too many symbolic links");
        const std::string target = link_target(current.get(), name);
        push_components_front(pending, target);
        if (target.starts_with('/'))
            current = open_start(true);
    }
    return current;
}

// A new directory PREFIX + 6 random letters in base_fd, made 0700 (mkdtemp's contract, relative
// to the held base rather than through its path).
std::string make_fresh_directory_at(int base_fd)
{
    static constexpr std::string_view letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    constexpr int attempts = 100;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        std::array<unsigned char, 6> random{};
        if (::getrandom(random.data(), random.size(), 0) != static_cast<ssize_t>(random.size()))
            throw_errno("getrandom");
        std::string name = fresh_challenge_prefix;
        for (const unsigned char byte : random)
            name += letters[byte % letters.size()];
        if (::mkdirat(base_fd, name.c_str(), 0700) == 0)
            return name;
        if (errno != EEXIST)
            throw_errno("mkdir(" + name + ")");
    }
    throw error("no free name for a challenge directory after " + std::to_string(attempts) + " attempts");
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
    const std::string name = make_fresh_directory_at(base.get());
    const std::string path = base_path + "/" + name;
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
    const uid_t webserver_uid = webserver_user.empty() ? 0 : uid_of(webserver_user);
    unique_fd dir = open_directory_by_components(path, webserver_uid);
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
