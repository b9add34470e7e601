// SPDX-License-Identifier: GPL-3.0-or-later
// The audit log's file, as audit_log uses it: created 0600 and appended to one whole line per
// write(2) (O_APPEND: the accountd processes of several SSH sessions may share it), synced with
// fdatasync(2) on one of several descriptors so that overlapping syncs each hear of a failed
// writeback (Linux reports it once per open file description).
//
// Preallocated ahead of its end with FALLOC_FL_KEEP_SIZE, so that appends do not allocate
// blocks; the size stays the data's, so readers see whole lines and nothing after them.
//
// Held with a shared flock(2) while open. A starting accountd that gets it exclusively is the
// only writer: only then does it remove a torn last line (a record cut by a crash in the
// middle of its write, whose signature therefore never left; it says so in a warning).
#pragma once

#include "common/log.hpp"
#include "common/unique_fd.hpp"

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace lacme::accountd {

class audit_file {
public:
    // Throws lacme::error when the file cannot be opened, locked or repaired.
    audit_file(const std::string& path, std::size_t sync_slots, logger& log);

    // Writes line (newline included) in one write. Throws lacme::error, torn_write when part
    // of it was written.
    void append(std::string_view line);
    // fdatasync on the slot's descriptor. Throws lacme::error.
    void sync(std::size_t slot) const;

private:
    void lock_and_repair(logger& log);
    void repair_torn_tail(logger& log);
    void reserve_after(off_t end);

    std::string path_;
    unique_fd fd_;
    std::vector<unique_fd> sync_fds_;
    bool regular_ = false;
    off_t reserved_from_ = 0;  // the range the last fallocate covered
    off_t reserved_to_ = 0;
};

}  // namespace lacme::accountd
