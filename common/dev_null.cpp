// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/dev_null.hpp"

#include "common/error.hpp"

#include <fcntl.h>

namespace lacme {

unique_fd open_dev_null(int flags)
{
    unique_fd fd(::open("/dev/null", flags));
    if (!fd)
        throw_errno("open(/dev/null)");
    return fd;
}

}  // namespace lacme
