// SPDX-License-Identifier: GPL-3.0-or-later
// CPU seconds (user + system) this process has used (RUSAGE_SELF: all its threads) or its
// waited-for children have (RUSAGE_CHILDREN), for the bench tools' per-signature CPU figures.
#pragma once

#include <sys/resource.h>

namespace lacme {

inline double process_cpu_seconds(int who = RUSAGE_SELF) noexcept
{
    rusage u{};
    ::getrusage(who, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace lacme
