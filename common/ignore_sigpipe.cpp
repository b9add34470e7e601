// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/ignore_sigpipe.hpp"

#include "common/error.hpp"

#include <signal.h>

namespace lacme {

void ignore_sigpipe()
{
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    if (::sigaction(SIGPIPE, &ignore, nullptr) != 0)
        throw_errno("sigaction(SIGPIPE)");
}

}  // namespace lacme
