// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/privilege_drop.hpp"

#include "test/support/error_message.hpp"
#include "test/support/forked_child.hpp"

#include <boost/test/unit_test.hpp>

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

using lacme::drop_privileges;
using lacme::test::error_message;
using lacme::test::exit_status_in_child;

namespace {

// Changing credentials needs root; each test drops them in a forked child only.
boost::test_tools::assertion_result running_as_root(boost::unit_test::test_unit_id)
{
    return ::geteuid() == 0;
}

std::vector<gid_t> sorted(std::vector<gid_t> groups)
{
    std::sort(groups.begin(), groups.end());
    return groups;
}

std::vector<gid_t> current_groups()
{
    std::vector<gid_t> groups(static_cast<std::size_t>(::getgroups(0, nullptr)));
    groups.resize(static_cast<std::size_t>(::getgroups(static_cast<int>(groups.size()), groups.data())));
    return sorted(groups);
}

// The groups login(1) would give the user: the primary group and those /etc/group lists.
std::vector<gid_t> groups_of(const passwd& user)
{
    int count = 64;
    std::vector<gid_t> groups(static_cast<std::size_t>(count));
    if (::getgrouplist(user.pw_name, user.pw_gid, groups.data(), &count) < 0) {
        groups.resize(static_cast<std::size_t>(count));
        ::getgrouplist(user.pw_name, user.pw_gid, groups.data(), &count);
    }
    groups.resize(static_cast<std::size_t>(count));
    return sorted(groups);
}

bool gids_are(gid_t gid)
{
    gid_t r, e, s;
    return ::getresgid(&r, &e, &s) == 0 && r == gid && e == gid && s == gid;
}

bool uids_are(uid_t uid)
{
    uid_t r, e, s;
    return ::getresuid(&r, &e, &s) == 0 && r == uid && e == uid && s == uid;
}

// After dropping to user: 0 if uid, gids and supplementary groups are what they should be and
// none can be changed back; else the number of the first check that failed.
int check_dropped_to(const passwd& user, gid_t gid, const std::vector<gid_t>& groups)
{
    if (!uids_are(user.pw_uid))
        return 1;
    if (!gids_are(gid))
        return 2;
    if (current_groups() != groups)
        return 3;
    if (::setuid(0) == 0 || ::setgid(0) == 0)
        return 4;
    const gid_t root = 0;
    if (::setgroups(1, &root) == 0)
        return 5;
    return 0;
}

// A system user with supplementary groups in /etc/group, if there is one (not root).
std::optional<passwd> user_with_supplementary_groups()
{
    ::setgrent();
    std::optional<passwd> found;
    while (const group* entry = ::getgrent()) {
        for (char** member = entry->gr_mem; !found && *member != nullptr; ++member)
            if (const passwd* user = ::getpwnam(*member); user != nullptr && user->pw_uid != 0)
                found = *user;
        if (found)
            break;
    }
    ::endgrent();
    return found;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(privilege_drop, *boost::unit_test::precondition(running_as_root))

// Issue 9 item 9: the drop used to keep gid 0 and root's supplementary groups.
BOOST_AUTO_TEST_CASE(a_user_without_a_group_gets_the_users_primary_and_supplementary_groups)
{
    const passwd nobody = *::getpwnam("nobody");
    BOOST_TEST(exit_status_in_child([&] {
                   drop_privileges("nobody", "");
                   return check_dropped_to(nobody, nobody.pw_gid, groups_of(nobody));
               }) == 0);
}

BOOST_AUTO_TEST_CASE(supplementary_groups_come_from_etc_group)
{
    const std::optional<passwd> user = user_with_supplementary_groups();
    if (!user) {
        BOOST_TEST_MESSAGE("no system user with supplementary groups: nothing more to check");
        return;
    }
    const std::string name = user->pw_name;
    const std::vector<gid_t> expected = groups_of(*user);
    BOOST_TEST_REQUIRE(expected.size() > 1u);
    BOOST_TEST(exit_status_in_child([&] {
                   drop_privileges(name, "");
                   return check_dropped_to(*user, user->pw_gid, expected);
               }) == 0);
}

BOOST_AUTO_TEST_CASE(an_explicit_group_is_the_only_group_left)
{
    const passwd nobody = *::getpwnam("nobody");
    const gid_t daemon = ::getgrnam("daemon")->gr_gid;
    BOOST_TEST(exit_status_in_child([&] {
                   drop_privileges("nobody", "daemon");
                   return check_dropped_to(nobody, daemon, {daemon});
               }) == 0);
}

BOOST_AUTO_TEST_CASE(a_group_alone_changes_only_the_groups)
{
    const gid_t daemon = ::getgrnam("daemon")->gr_gid;
    BOOST_TEST(exit_status_in_child([&] {
                   drop_privileges("", "daemon");
                   return uids_are(0) && gids_are(daemon) && current_groups() == std::vector<gid_t>{daemon} ? 0 : 1;
               }) == 0);
}

BOOST_AUTO_TEST_CASE(unknown_names_are_errors)
{
    BOOST_TEST(exit_status_in_child([] {
                   return error_message([] { drop_privileges("no-such-user-lacme", ""); }) ==
                                  "unknown user no-such-user-lacme"
                              ? 0
                              : 1;
               }) == 0);
    BOOST_TEST(exit_status_in_child([] {
                   return error_message([] { drop_privileges("nobody", "no-such-group-lacme"); }) ==
                                  "unknown group no-such-group-lacme"
                              ? 0
                              : 1;
               }) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
