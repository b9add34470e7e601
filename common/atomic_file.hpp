// Whole-file replacement that never leaves a half-written or missing file: write a temporary
// file beside the target with an explicit mode (and owner), fsync it, rename it over the
// target, fsync the directory.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace lacme {

struct file_owner {
    uid_t uid;
    gid_t gid;  // static_cast<gid_t>(-1): keep the creator's group
};

// The temporary file is ".NAME.lacme-tmp.XXXXXX" in the target's directory, locked (flock)
// while it is written. A writer killed before its rename leaves one behind: the next write of
// the same target removes those that no live writer holds. The owner and mode are set before
// any byte is written, so the contents never exist under a looser owner or mode.
void write_file_atomically(const std::string& path, std::string_view contents, mode_t mode,
                           std::optional<file_owner> owner = std::nullopt);

}  // namespace lacme
