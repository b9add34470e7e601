#include "common/privilege_drop.hpp"

#include "common/error.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

namespace lacme {
namespace {

gid_t lookup_gid(const std::string& group)
{
    std::vector<char> storage(16384);
    struct group entry {};
    struct group* result = nullptr;
    if (getgrnam_r(group.c_str(), &entry, storage.data(), storage.size(), &result) != 0 || result == nullptr)
        throw error("unknown group " + group);
    return entry.gr_gid;
}

struct account {
    uid_t uid;
    gid_t gid;  // primary group
};

account lookup_user(const std::string& user)
{
    std::vector<char> storage(16384);
    passwd entry{};
    passwd* result = nullptr;
    if (getpwnam_r(user.c_str(), &entry, storage.data(), storage.size(), &result) != 0 || result == nullptr)
        throw error("unknown user " + user);
    return {entry.pw_uid, entry.pw_gid};
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

void set_gid(gid_t gid)
{
    if (::setresgid(gid, gid, gid) != 0)
        throw_errno("setresgid");
    gid_t r, e, s;
    if (::getresgid(&r, &e, &s) != 0 || r != gid || e != gid || s != gid)
        throw error("failed to drop group privileges");
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
    if (::setresuid(uid, uid, uid) != 0)
        throw_errno("setresuid");
    uid_t r, e, s;
    if (::getresuid(&r, &e, &s) != 0 || r != uid || e != uid || s != uid)
        throw error("failed to drop user privileges");
}

}  // namespace

void drop_privileges(const std::string& user, const std::string& group)
{
    if (!group.empty())
        use_only_group(lookup_gid(group));
    if (!user.empty()) {
        const account target = lookup_user(user);
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
