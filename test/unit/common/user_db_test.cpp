// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/user_db.hpp"

#include <boost/test/unit_test.hpp>

#include <pwd.h>

using lacme::find_group;
using lacme::find_user;

BOOST_AUTO_TEST_SUITE(user_db)

BOOST_AUTO_TEST_CASE(finds_users_by_name_and_by_uid)
{
    const auto by_name = find_user("root");
    BOOST_TEST_REQUIRE(by_name.has_value());
    BOOST_TEST(by_name->uid == 0u);
    BOOST_TEST(by_name->gid == 0u);
    BOOST_TEST(by_name->home == "/root");
    BOOST_TEST(by_name->shell == ::getpwuid(0)->pw_shell);  // the passwd field as is
    const auto nobody = find_user("nobody");
    BOOST_TEST_REQUIRE(nobody.has_value());
    const auto by_uid = find_user(nobody->uid);
    BOOST_TEST_REQUIRE(by_uid.has_value());
    BOOST_TEST(by_uid->name == "nobody");
    BOOST_TEST(by_uid->gid == nobody->gid);
}

BOOST_AUTO_TEST_CASE(finds_groups_by_name_and_by_gid)
{
    const auto daemon = find_group("daemon");
    BOOST_TEST_REQUIRE(daemon.has_value());
    const auto by_gid = find_group(daemon->gid);
    BOOST_TEST_REQUIRE(by_gid.has_value());
    BOOST_TEST(by_gid->name == "daemon");
}

BOOST_AUTO_TEST_CASE(unknown_names_and_ids_are_nullopt)
{
    BOOST_TEST(!find_user("no-such-user-lacme").has_value());
    BOOST_TEST(!find_user(uid_t{4000000000u}).has_value());
    BOOST_TEST(!find_group("no-such-group-lacme").has_value());
    BOOST_TEST(!find_group(gid_t{4000000000u}).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
