// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/policy/order_rate_limit.hpp"

#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"
#include "common/unique_fd.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/file.h>
#include <fcntl.h>

using lacme::accountd::order_rate_limit;
using namespace std::chrono_literals;

namespace {

const std::chrono::system_clock::time_point t0{std::chrono::seconds(1'800'000'000)};

}  // namespace

BOOST_AUTO_TEST_SUITE(order_rate_limit_suite)

BOOST_AUTO_TEST_CASE(counts_a_rolling_hour)
{
    const lacme::test::temp_dir dir;
    order_rate_limit limit(dir.path(), "web1", 2);
    BOOST_TEST(limit.admit(t0));
    BOOST_TEST(limit.admit(t0 + 10min));
    BOOST_TEST(!limit.admit(t0 + 59min));
    BOOST_TEST(limit.admit(t0 + 60min + 1s));  // the first one left the window
    BOOST_TEST(!limit.admit(t0 + 61min));
    BOOST_TEST(lacme::test::read_file(dir.file("web1.orders")) == "1800000600\n1800003601\n");
    BOOST_TEST(lacme::test::file_mode(dir.file("web1.orders")) == 0600u);
}

BOOST_AUTO_TEST_CASE(shared_by_separate_instances_and_kept_per_label)
{
    const lacme::test::temp_dir dir;
    BOOST_TEST(order_rate_limit(dir.path(), "web1", 1).admit(t0));
    BOOST_TEST(!order_rate_limit(dir.path(), "web1", 1).admit(t0 + 1s));
    BOOST_TEST(order_rate_limit(dir.path(), "web2", 1).admit(t0 + 1s));
}

BOOST_AUTO_TEST_CASE(corrupt_or_unreachable_state_is_an_error)
{
    const lacme::test::temp_dir dir;
    lacme::test::write_file(dir.file("web1.orders"), "1800000000\ngarbage\n");
    BOOST_TEST(lacme::test::error_message([&] { (void)order_rate_limit(dir.path(), "web1", 5).admit(t0); }) ==
               dir.file("web1.orders") + ": corrupt (not a time on line 2)");
    lacme::test::write_file(dir.file("web1.orders"), "1800000000");
    BOOST_TEST(lacme::test::error_message([&] { (void)order_rate_limit(dir.path(), "web1", 5).admit(t0); }) ==
               dir.file("web1.orders") + ": corrupt (no final newline)");
    BOOST_TEST(lacme::test::error_message([&] {
                   (void)order_rate_limit(dir.file("none"), "web1", 5).admit(t0);
               }).starts_with("can't open " + dir.file("none") + "/web1.lock"));
}

BOOST_AUTO_TEST_CASE(a_held_lock_is_waited_for_then_an_error)
{
    const lacme::test::temp_dir dir;
    const lacme::unique_fd held(::open(dir.file("web1.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    BOOST_REQUIRE(::flock(held.get(), LOCK_EX) == 0);
    BOOST_TEST(lacme::test::error_message([&] { (void)order_rate_limit(dir.path(), "web1", 5, 50ms).admit(t0); }) ==
               "can't lock " + dir.file("web1.lock") + ": held for more than 50 ms");
    BOOST_TEST(dir.entries() == std::vector<std::string>{"web1.lock"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
