// System user and group names to ids (thread-safe lookups).
#pragma once

#include <sys/types.h>

#include <string>

namespace lacme {

// Throw lacme::error "unknown user NAME" / "unknown group NAME".
uid_t lookup_uid(const std::string& user);
gid_t lookup_gid(const std::string& group);

}  // namespace lacme
