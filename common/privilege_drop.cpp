// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/privilege_drop.hpp"

#include "common/error.hpp"
#include "common/user_db.hpp"

#include <grp.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

namespace lacme {
namespace {

gid_t lookup_gid(const std::string& group)
{
    const auto entry = find_group(group);
    if (!entry)
        throw error("unknown group " + group);
    return entry->gid;
}

user_entry lookup_user(const std::string& user)
{
    auto entry = find_user(user);
    if (!entry)
        throw error("unknown user " + user);
    return std::move(*entry);
}

std::vector<gid_t> current_groups()
{
    const int count = ::getgroups(0, nullptr);
    std::vector<gid_t> groups(static_cast<std::size_t>(std::max(count, 0)));
    if (count < 0 || ::getgroups(count, groups.data()) != count)
        throw_errno("getgroups");
    std::sort(groups.begin(), groups.end());
    return groups;
}

// Sets the real, effective and saved id (setresuid or setresgid) and checks all three took.
template <class Id>
void set_all_three(Id id, int (*set)(Id, Id, Id), int (*get)(Id*, Id*, Id*), const char* what)
{
    if (set(id, id, id) != 0)
        throw_errno(std::string("can't drop ") + what + " privileges");
    Id r, e, s;
    if (get(&r, &e, &s) != 0 || r != id || e != id || s != id)
        throw error(std::string("failed to drop ") + what + " privileges");
}

void set_gid(gid_t gid)
{
    set_all_three(gid, ::setresgid, ::getresgid, "group");
}

// An explicitly configured group is the only group left, as in lacme.
void use_only_group(gid_t gid)
{
    if (::setgroups(1, &gid) != 0)
        throw_errno("setgroups");
    set_gid(gid);
    if (current_groups() != std::vector<gid_t>{gid})
        throw error("failed to drop supplementary groups");
}

// Without a configured group: the user's primary group and supplementary groups from
// /etc/group replace root's, as login(1) would set them.
void use_groups_of(const std::string& user, gid_t primary)
{
    if (::initgroups(user.c_str(), primary) != 0)
        throw_errno("initgroups " + user);
    set_gid(primary);
    const std::vector<gid_t> groups = current_groups();
    if (!std::binary_search(groups.begin(), groups.end(), primary))
        throw error("failed to set the supplementary groups of " + user);
}

void set_uid(uid_t uid)
{
    set_all_three(uid, ::setresuid, ::getresuid, "user");
}

}  // namespace

void drop_privileges(const std::string& user, const std::string& group)
{
    if (!group.empty())
        use_only_group(lookup_gid(group));
    if (!user.empty()) {
        const user_entry target = lookup_user(user);
        if (group.empty())
            use_groups_of(user, target.gid);
        set_uid(target.uid);
    }
    // A real drop from root must be irreversible.
    if (::getuid() != 0 && ::setuid(0) == 0)
        throw error("privileges could be regained after dropping to " + user);
    if (::getuid() != 0 && ::setgroups(0, nullptr) == 0)
        throw error("supplementary groups could be changed after dropping to " + user);
    if (::geteuid() != 0 && ::getgid() != 0 && ::setgid(0) == 0)
        throw error("group privileges could be regained after dropping to " + group);
}

}  // namespace lacme
