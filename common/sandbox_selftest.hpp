// SPDX-License-Identifier: GPL-3.0-or-later
// Test builds only (-DLACME_SANDBOX_SELFTEST=ON, the default with BUILD_TESTING; the Debian and
// Release builds have it off): right after entering its sandbox a process does the one
// forbidden thing LACME_SANDBOX_SELFTEST in its environment asks for, so that the integration
// tests (test/integration/sandbox_*.sh) see the sandbox stop it:
//   write:PATH  open PATH for writing (O_CREAT)    read:PATH         open PATH for reading
//   create:PATH create PATH (O_CREAT|O_EXCL)       exec:PATH         execve PATH
//   connect:ADDR:PORT a TCP connection to 127.0.0.1/::1
// It prints "ROLE: sandbox selftest: ACTION: denied (ERROR)" or "... ACTION: ALLOWED" when the
// sandbox let it through (then the test fails); a killed process prints the sandbox's SIGSYS line.
#pragma once

#include <string_view>

namespace lacme::sandbox {

void run_selftest(std::string_view role);

}  // namespace lacme::sandbox
