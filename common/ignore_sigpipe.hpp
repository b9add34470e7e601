// SPDX-License-Identifier: GPL-3.0-or-later
// Every component writes to pipes and sockets whose peer may go away: that must be an error
// return (EPIPE) it can report, never a silent death by SIGPIPE.
#pragma once

namespace lacme {

// Sets SIGPIPE to SIG_IGN for the whole process (inherited across exec as ignored; spawn_child
// resets it). Throws lacme::error if sigaction fails.
void ignore_sigpipe();

}  // namespace lacme
