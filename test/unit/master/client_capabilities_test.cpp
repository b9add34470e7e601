// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/client_capabilities.hpp"

#include <boost/test/unit_test.hpp>

using lacme::master::parse_client_capabilities;

BOOST_AUTO_TEST_SUITE(client_capabilities)

BOOST_AUTO_TEST_CASE(each_feature_is_one_whole_line)
{
    const auto ours = parse_client_capabilities("newOrder --replaces\nnewOrders\nrenewal-info\n");
    BOOST_TEST(ours.replaces);
    BOOST_TEST(ours.orders);
    const auto unterminated = parse_client_capabilities("renewal-info\nnewOrders");
    BOOST_TEST(!unterminated.replaces);
    BOOST_TEST(unterminated.orders);
    const auto none = parse_client_capabilities("newOrders please\n newOrders\nnewOrder\n");
    BOOST_TEST(!none.replaces);
    BOOST_TEST(!none.orders);
    BOOST_TEST(!parse_client_capabilities("").orders);
}

BOOST_AUTO_TEST_SUITE_END()
