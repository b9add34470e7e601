// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/dev_null.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

BOOST_AUTO_TEST_SUITE(dev_null)

// The null device (char 1:3), with the access mode and close-on-exec flag asked for.
BOOST_AUTO_TEST_CASE(opens_the_null_device_with_the_flags_asked_for)
{
    for (const int mode : {O_RDONLY, O_WRONLY, O_RDWR}) {
        const lacme::unique_fd fd = lacme::open_dev_null(mode | O_CLOEXEC);
        BOOST_TEST_REQUIRE(fd.valid());
        struct stat st {};
        BOOST_TEST_REQUIRE(::fstat(fd.get(), &st) == 0);
        BOOST_TEST(S_ISCHR(st.st_mode));
        BOOST_TEST(major(st.st_rdev) == 1u);
        BOOST_TEST(minor(st.st_rdev) == 3u);
        BOOST_TEST((::fcntl(fd.get(), F_GETFL) & O_ACCMODE) == mode);
        BOOST_TEST((::fcntl(fd.get(), F_GETFD) & FD_CLOEXEC) != 0);
    }
    const lacme::unique_fd inherited = lacme::open_dev_null(O_RDONLY);
    BOOST_TEST((::fcntl(inherited.get(), F_GETFD) & FD_CLOEXEC) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
