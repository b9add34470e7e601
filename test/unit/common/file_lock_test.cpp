// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/file_lock.hpp"

#include "common/unique_fd.hpp"
#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>

using lacme::lock_exclusively_within;
using lacme::unique_fd;
using lacme::test::error_message;
using lacme::test::temp_dir;

namespace {

// Each open(2) is its own open file description, so flock sees two holders.
unique_fd open_lock_file(const std::string& path)
{
    unique_fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    BOOST_REQUIRE(fd);
    return fd;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(file_lock)

BOOST_AUTO_TEST_CASE(second_holder_gives_up_at_the_timeout_and_gets_it_once_released)
{
    using namespace std::chrono_literals;
    temp_dir dir;
    const std::string path = dir.file("state.lock");
    auto first = open_lock_file(path);
    const auto second = open_lock_file(path);
    BOOST_TEST(lock_exclusively_within(first.get(), path, 0ms));
    BOOST_TEST(!lock_exclusively_within(second.get(), path, 30ms));
    first = unique_fd();
    BOOST_TEST(lock_exclusively_within(second.get(), path, 0ms));
}

BOOST_AUTO_TEST_CASE(a_descriptor_flock_refuses_is_an_error_naming_it)
{
    BOOST_TEST(error_message([] {
                   (void)lock_exclusively_within(-1, "/x/state.lock", std::chrono::milliseconds(0));
               }).starts_with("can't lock /x/state.lock: "));
}

BOOST_AUTO_TEST_SUITE_END()
