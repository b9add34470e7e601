// SPDX-License-Identifier: GPL-3.0-or-later
// sbin/lacme's exit status, lacme 0.8's: 0 success, 1 a section (or the command) failed, 2 a usage
// or configuration error (decided before anything runs).
#pragma once

namespace lacme::master {

inline constexpr int exit_success = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

}  // namespace lacme::master
