// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/ignore_sigpipe.hpp"

#include "common/fd_pair.hpp"

#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <unistd.h>

#include <cerrno>

BOOST_AUTO_TEST_SUITE(ignore_sigpipe)

// After the call a write to a pipe nobody reads is EPIPE instead of killing the process.
BOOST_AUTO_TEST_CASE(a_write_to_a_closed_pipe_is_epipe)
{
    struct sigaction previous {};
    BOOST_REQUIRE(::sigaction(SIGPIPE, nullptr, &previous) == 0);
    lacme::ignore_sigpipe();
    struct sigaction now {};
    BOOST_REQUIRE(::sigaction(SIGPIPE, nullptr, &now) == 0);
    auto [read_end, write_end] = lacme::make_pipe();
    read_end.reset();
    const ssize_t written = ::write(write_end.get(), "x", 1);
    const int saved_errno = errno;
    ::sigaction(SIGPIPE, &previous, nullptr);
    BOOST_TEST(now.sa_handler == SIG_IGN);
    BOOST_TEST(written == -1);
    BOOST_TEST(saved_errno == EPIPE);
}

BOOST_AUTO_TEST_SUITE_END()
