// SPDX-License-Identifier: GPL-3.0-or-later
// Looking up users and groups (passwd and group databases, NSS included), one way for the
// privilege drop, the %-specifiers and a child's environment.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace lacme {

struct user_entry {
    std::string name;
    uid_t uid;
    gid_t gid;  // primary group
    std::string home;
    std::string shell;
};

struct group_entry {
    std::string name;
    gid_t gid;
};

// nullopt when there is no such user or group (or the database cannot be read).
[[nodiscard]] std::optional<user_entry> find_user(const std::string& name);
[[nodiscard]] std::optional<user_entry> find_user(uid_t uid);
[[nodiscard]] std::optional<group_entry> find_group(const std::string& name);
[[nodiscard]] std::optional<group_entry> find_group(gid_t gid);

}  // namespace lacme
