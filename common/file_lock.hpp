// SPDX-License-Identifier: GPL-3.0-or-later
// A bounded wait for an exclusive flock(2): state files shared by several processes (rate-limit
// counters, remembered PIN rejections) are locked for one short read-modify-write, and a stuck
// holder must not hang the caller forever.
#pragma once

#include <chrono>
#include <string>

namespace lacme {

// Takes LOCK_EX on fd, polling because flock has no timed form. Returns false when `timeout`
// passes first; throws lacme::error ("can't lock WHAT: ...") when flock itself fails.
bool lock_exclusively_within(int fd, const std::string& what, std::chrono::milliseconds timeout);

}  // namespace lacme
