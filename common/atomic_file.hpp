// SPDX-License-Identifier: GPL-3.0-or-later
// Whole-file replacement that never leaves a half-written or missing file: write a temporary
// file beside the target with an explicit mode (and owner), fsync it, rename it over the
// target, fsync the directory.
#pragma once

#include "common/unique_fd.hpp"

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace lacme {

struct file_owner {
    uid_t uid;
    gid_t gid;  // static_cast<gid_t>(-1): keep the creator's group
};

// A new version of path written and synced beside it, under a temporary name, until commit()
// renames it over path and syncs the directory. Destroyed uncommitted, the temporary file is
// removed: several files can be staged, then committed only if every one was written.
class staged_file {
public:
    staged_file(std::string path, std::string_view contents, mode_t mode, std::optional<file_owner> owner);
    staged_file(const staged_file&) = delete;
    staged_file& operator=(const staged_file&) = delete;
    staged_file(staged_file&&) = default;
    staged_file& operator=(staged_file&&) = delete;
    ~staged_file();

    void commit();
    // commit(), but the file stays open and flock'ed under its new name until the returned fd
    // closes: a reader that takes the lock (LOCK_NB) knows its writer is gone.
    [[nodiscard]] unique_fd commit_holding_lock();

    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] const std::string& temp_path() const noexcept { return temp_path_; }

private:
    std::string path_;
    std::string temp_path_;
    unique_fd fd_;
};

// fsync of the directory holding path, so that a rename or unlink in it is durable.
void sync_parent_directory(const std::string& path);

// Whether temp_path has the name a staged_file of path gets (the same directory, ".NAME.lacme-tmp.XXXXXX").
bool is_staged_temporary_of(const std::string& temp_path, const std::string& path);

// staged_file then commit. The temporary file is ".NAME.lacme-tmp.XXXXXX" in the target's directory, locked (flock)
// while it is written. A writer killed before its rename leaves one behind: the next write of
// the same target removes those that no live writer holds. The owner and mode are set before
// any byte is written, so the contents never exist under a looser owner or mode.
void write_file_atomically(const std::string& path, std::string_view contents, mode_t mode,
                           std::optional<file_owner> owner = std::nullopt);

}  // namespace lacme
