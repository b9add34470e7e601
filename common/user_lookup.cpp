#include "common/user_lookup.hpp"

#include "common/error.hpp"
#include "common/user_db.hpp"

namespace lacme {

uid_t lookup_uid(const std::string& user)
{
    const auto entry = find_user(user);
    if (!entry)
        throw error("unknown user " + user);
    return entry->uid;
}

gid_t lookup_gid(const std::string& group)
{
    const auto entry = find_group(group);
    if (!entry)
        throw error("unknown group " + group);
    return entry->gid;
}

}  // namespace lacme
