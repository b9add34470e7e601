#include "common/user_lookup.hpp"

#include "common/error.hpp"

#include <grp.h>
#include <pwd.h>

#include <vector>

namespace lacme {

gid_t lookup_gid(const std::string& group)
{
    std::vector<char> storage(16384);
    struct group entry {};
    struct group* result = nullptr;
    if (getgrnam_r(group.c_str(), &entry, storage.data(), storage.size(), &result) != 0 || result == nullptr)
        throw error("unknown group " + group);
    return entry.gr_gid;
}

uid_t lookup_uid(const std::string& user)
{
    std::vector<char> storage(16384);
    passwd entry{};
    passwd* result = nullptr;
    if (getpwnam_r(user.c_str(), &entry, storage.data(), storage.size(), &result) != 0 || result == nullptr)
        throw error("unknown user " + user);
    return entry.pw_uid;
}

}  // namespace lacme
