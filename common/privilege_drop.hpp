// Dropping root to a service user: supplementary groups, then gid, then uid, and a check that
// none of them can be regained.
#pragma once

#include <string>

namespace lacme {

// Empty user/group skip that half of the drop, as lacme does. Throws lacme::error.
void drop_privileges(const std::string& user, const std::string& group);

}  // namespace lacme
