// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/fd_pair.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <string>

namespace {

bool close_on_exec(int fd)
{
    return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
}

std::string send_and_receive(int from, int to, const std::string& text)
{
    BOOST_REQUIRE(::write(from, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    std::string received(text.size(), '\0');
    BOOST_REQUIRE(::read(to, received.data(), received.size()) == static_cast<ssize_t>(text.size()));
    return received;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fd_pair)

// A child must get only the end it is handed: both ends are close-on-exec.
BOOST_AUTO_TEST_CASE(pipe_carries_bytes_one_way_and_is_close_on_exec)
{
    auto [read_end, write_end] = lacme::make_pipe();
    BOOST_TEST(close_on_exec(read_end.get()));
    BOOST_TEST(close_on_exec(write_end.get()));
    BOOST_TEST(send_and_receive(write_end.get(), read_end.get(), "ping") == "ping");
}

BOOST_AUTO_TEST_CASE(socket_pair_carries_bytes_both_ways_and_is_close_on_exec)
{
    auto [ours, theirs] = lacme::make_socket_pair();
    BOOST_TEST(close_on_exec(ours.get()));
    BOOST_TEST(close_on_exec(theirs.get()));
    BOOST_TEST(send_and_receive(ours.get(), theirs.get(), "ping") == "ping");
    BOOST_TEST(send_and_receive(theirs.get(), ours.get(), "pong") == "pong");
}

BOOST_AUTO_TEST_SUITE_END()
