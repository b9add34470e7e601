// SPDX-License-Identifier: GPL-3.0-or-later
// /dev/null as a stand-in for stdin, stdout or a socket nobody is to use.
#pragma once

#include "common/unique_fd.hpp"

namespace lacme {

// Opens /dev/null with flags as for open(2) (an access mode, O_CLOEXEC unless the fd is to
// survive exec). Throws lacme::error "open(/dev/null): ..." on failure.
[[nodiscard]] unique_fd open_dev_null(int flags);

}  // namespace lacme
