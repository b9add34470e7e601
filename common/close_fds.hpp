// SPDX-License-Identifier: GPL-3.0-or-later
// Closing inherited file descriptors, so a child or a daemon holds nothing by accident.
#pragma once

#include <span>

namespace lacme {

// Closes every fd above stderr except those in keep (any order; fds 0-2 are always kept).
// Async-signal-safe (no allocation): usable between fork and exec. close_range(2) does it in
// a few calls; without it (Linux < 5.9, seccomp) /proc/self/fd is read with getdents64, and
// without /proc every number up to the RLIMIT_NOFILE soft limit is closed.
void close_fds_except(std::span<const int> keep) noexcept;

}  // namespace lacme
