// SPDX-License-Identifier: GPL-3.0-or-later
// Dropping root to a service user: supplementary groups, then gid, then uid, and a check that
// none of them can be regained.
#pragma once

#include <string>

namespace lacme {

// With a group, that group becomes the real, effective, saved and only supplementary group,
// as lacme does. With a user but no group, the user's primary group and the supplementary
// groups /etc/group gives the user (initgroups(3)) replace root's; lacme 0.8 would keep gid 0
// and root's groups there. With a user, then uid goes to that user. Empty user and group skip
// the drop, as lacme does. Throws lacme::error, also when a dropped privilege could be regained.
void drop_privileges(const std::string& user, const std::string& group);

}  // namespace lacme
