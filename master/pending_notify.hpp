// SPDX-License-Identifier: GPL-3.0-or-later
// "Installed, notify pending": a section's certificate is installed before its notify command
// runs, so a master killed in between would leave the service on the old certificate, and the
// next run would skip the new one as fresh. A record beside the install journal
// (".NAME.lacme-notify" beside the reference certificate) is written and synced before the
// first rename and removed once the notify has run, whatever its result: the next run runs a
// pending notify exactly once.
#pragma once

#include "common/log.hpp"
#include "master/certificate_config.hpp"

#include <string>

namespace lacme::master {

// ".NAME.lacme-notify" beside target.
std::string pending_notify_path(const std::string& target);

// Records (durably) that the section's notify must run; nothing for a section without notify.
void record_pending_notify(const certificate_section& section);
[[nodiscard]] bool notify_pending(const certificate_section& section);
// The notify ran (or the section no longer has one): removes the record, durably.
void clear_pending_notify(const certificate_section& section);

// clear_pending_notify, a failure logged (the notify has run: the run goes on).
void forget_pending_notify(const certificate_section& section, logger& log);

}  // namespace lacme::master
