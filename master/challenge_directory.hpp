// SPDX-License-Identifier: GPL-3.0-or-later
// Where the client writes challenge files for the webserver: a fresh directory (0755, owned by
// the client user; made, chmod-ed and chown-ed through fds: mkdirat, fchmod, fchown) inside a
// private directory only root can write (so nobody else can rename it away), or lacme's
// `challenge-directory` (must exist and be empty, locked with `.lacme.lock` created O_EXCL).
// Both are held open from creation or check on and emptied through that fd when the run ends.
#pragma once

#include "common/unique_fd.hpp"

#include <sys/types.h>

#include <string>

namespace lacme::master {

class challenge_directory {
public:
    // BASE/acme-challenge.XXXXXX, removed with everything in it. BASE is private_base(); the
    // directory is flock()ed for the run, so a later run removes it if this one was killed.
    static challenge_directory fresh(const std::string& client_user);
    // The configured directory, opened one component at a time with O_NOFOLLOW (a symbolic link
    // on the way is followed only when root or webserver_user made it in a directory nobody else
    // can write); its files are unlinked at the end, the lock file last. Refused when an
    // ancestor (its parent up to "/", found through ".." from the held fd) is owned or writable
    // by anyone but root and webserver_user, who could swap the path below it (a sticky
    // ancestor counts when the entry below it is root's or webserver_user's).
    static challenge_directory existing(const std::string& path, const std::string& webserver_user);

    challenge_directory(challenge_directory&& other) noexcept = default;
    challenge_directory& operator=(challenge_directory&&) = delete;
    challenge_directory(const challenge_directory&) = delete;
    challenge_directory& operator=(const challenge_directory&) = delete;
    ~challenge_directory();

    [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
    challenge_directory(std::string path, unique_fd dir, unique_fd parent, std::string name)
        : path_(std::move(path)), dir_(std::move(dir)), parent_(std::move(parent)), name_(std::move(name))
    {}

    std::string path_;
    unique_fd dir_;  // the directory itself; invalid once moved from
    unique_fd parent_;  // fresh only: the private base, from which name_ is removed at the end
    std::string name_;
};

inline constexpr const char* challenge_lock_name = ".lacme.lock";
inline constexpr const char* fresh_challenge_prefix = "acme-challenge.";

// Where fresh challenge directories are made: as root, the runtime directory ($RUNTIME_DIRECTORY
// or /run/lacme), else /var/lib/lacme, created 0711 and required to be root's and written by
// nobody else; TMPDIR (or /tmp) when not root (no other user is involved then).
unique_fd private_base(std::string& path);

// A root-owned directory nobody else writes and everybody may traverse (the dropped client and
// webserver enter their directory inside it): made 0711 when missing, made traversable if not.
unique_fd open_root_private_directory(const std::string& path);

// Removes the fresh challenge directories in base_fd that belong to owner and that no live run
// holds locked (left by a killed run). Returns how many it removed.
int remove_abandoned_challenge_directories(int base_fd, uid_t owner) noexcept;

}  // namespace lacme::master
