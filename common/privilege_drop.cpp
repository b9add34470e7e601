#include "common/privilege_drop.hpp"

#include "common/error.hpp"
#include "common/user_lookup.hpp"

#include <grp.h>
#include <unistd.h>

namespace lacme {

void drop_privileges(const std::string& user, const std::string& group)
{
    if (!group.empty()) {
        const gid_t gid = lookup_gid(group);
        if (::setgroups(1, &gid) != 0)
            throw_errno("setgroups");
        if (::setresgid(gid, gid, gid) != 0)
            throw_errno("setresgid");
        gid_t r, e, s;
        if (::getresgid(&r, &e, &s) != 0 || r != gid || e != gid || s != gid)
            throw error("failed to drop group privileges");
    }
    if (!user.empty()) {
        const uid_t uid = lookup_uid(user);
        if (::setresuid(uid, uid, uid) != 0)
            throw_errno("setresuid");
        uid_t r, e, s;
        if (::getresuid(&r, &e, &s) != 0 || r != uid || e != uid || s != uid)
            throw error("failed to drop user privileges");
    }
    // A real drop from root must be irreversible.
    if (::getuid() != 0 && ::setuid(0) == 0)
        throw error("privileges could be regained after dropping to " + user);
    if (::geteuid() != 0 && ::getgid() != 0 && ::setgid(0) == 0)
        throw error("group privileges could be regained after dropping to " + group);
}

}  // namespace lacme
