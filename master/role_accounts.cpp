// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/role_accounts.hpp"

#include "common/user_db.hpp"

namespace lacme::master {
namespace {

void check_role(const char* section, const child_role& role, std::vector<std::string>& missing)
{
    const std::string where = std::string(": [") + section + "] ";
    if (!role.user.empty() && !find_user(role.user))
        missing.push_back(role.user_origin + where + "user " + role.user + " does not exist");
    if (!role.group.empty() && !find_group(role.group))
        missing.push_back(role.group_origin + where + "group " + role.group + " does not exist");
}

}  // namespace

std::vector<std::string> missing_role_accounts(const settings& s, bool with_webserver)
{
    std::vector<std::string> missing;
    check_role("client", s.client, missing);
    if (with_webserver && !s.webserver.challenge_directory)
        check_role("webserver", s.webserver.role, missing);
    if (s.accountd)
        check_role("accountd", s.accountd->role, missing);
    return missing;
}

}  // namespace lacme::master
