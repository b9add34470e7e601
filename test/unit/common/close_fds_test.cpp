// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/close_fds.hpp"

#include "test/support/forked_child.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <initializer_list>
#include <vector>

using lacme::close_fds_except;
using lacme::test::exit_status_in_child;

namespace {

bool is_open(int fd)
{
    return ::fcntl(fd, F_GETFD) != -1;
}

// An fd at a chosen number, so the test controls the gaps between kept fds.
int open_at(int number)
{
    const int fd = ::open("/dev/null", O_RDONLY);
    if (fd < 0 || ::dup2(fd, number) != number)
        ::_exit(100);
    if (fd != number)
        ::close(fd);
    return number;
}

// Makes the listed system calls fail with ENOSYS in this (child) process, as on a kernel or
// under a sandbox without them, so each fallback of close_fds_except gets exercised.
void deny_syscalls(std::initializer_list<int> numbers)
{
    std::vector<sock_filter> program{
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
    };
    for (const int nr : numbers) {
        program.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<unsigned>(nr), 0, 1));
        program.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS));
    }
    program.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    const sock_fprog prog{static_cast<unsigned short>(program.size()), program.data()};
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
        ::_exit(101);
}

// Opens fds 3, 8 and 9, denies the given system calls, keeps 8: 0 when exactly 3 and 9 closed.
int closes_all_but_8_without(std::initializer_list<int> denied)
{
    for (const int n : {3, 8, 9})
        open_at(n);
    deny_syscalls(denied);
    const std::array keep{8};
    close_fds_except(keep);
    if (is_open(3) || is_open(9))
        return 1;
    return is_open(8) && is_open(2) ? 0 : 2;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(close_fds)

BOOST_AUTO_TEST_CASE(closes_everything_above_stderr_and_keeps_the_standard_fds)
{
    BOOST_TEST(exit_status_in_child([] {
                   for (const int n : {3, 4, 10, 200})
                       open_at(n);
                   close_fds_except({});
                   for (const int n : {3, 4, 10, 200})
                       if (is_open(n))
                           return n;
                   return is_open(0) && is_open(1) && is_open(2) ? 0 : 1;
               }) == 0);
}

// Kept fds given out of order, next to each other and far apart.
BOOST_AUTO_TEST_CASE(keeps_exactly_the_listed_fds)
{
    BOOST_TEST(exit_status_in_child([] {
                   for (const int n : {3, 5, 6, 7, 9, 100, 101, 300})
                       open_at(n);
                   const std::array keep{300, 6, 5, 100};
                   close_fds_except(keep);
                   for (const int n : {5, 6, 100, 300})
                       if (!is_open(n))
                           return n;
                   for (const int n : {3, 7, 9, 101})
                       if (is_open(n))
                           return n;
                   return 0;
               }) == 0);
}

BOOST_AUTO_TEST_CASE(keeping_a_standard_fd_or_an_unopened_number_is_harmless)
{
    BOOST_TEST(exit_status_in_child([] {
                   open_at(4);
                   const std::array keep{1, 3, 42};
                   close_fds_except(keep);
                   return !is_open(4) && is_open(1) && is_open(2) ? 0 : 1;
               }) == 0);
}

BOOST_AUTO_TEST_CASE(falls_back_to_proc_self_fd_without_close_range)
{
    BOOST_TEST(exit_status_in_child([] { return closes_all_but_8_without({SYS_close_range}); }) == 0);
}

BOOST_AUTO_TEST_CASE(falls_back_to_every_number_without_close_range_and_proc)
{
    BOOST_TEST(exit_status_in_child([] {
                   return closes_all_but_8_without({SYS_close_range, SYS_open, SYS_openat});
               }) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
