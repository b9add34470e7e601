// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/sandbox_policy.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

namespace lacme::client {

namespace {

using sandbox::arg_condition;
using sandbox::fs_access;
using sandbox::path_rule;
using sandbox::syscall_rule;
using sandbox::verdict;

constexpr std::uint64_t open_mode_bits = O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND;
constexpr arg_condition read_only_open{2, open_mode_bits & ~std::uint64_t{O_EXCL}, O_RDONLY,
                                       "with O_RDONLY and neither O_CREAT, O_TRUNC nor O_APPEND"};
constexpr arg_condition new_file_open{2, open_mode_bits, O_WRONLY | O_CREAT | O_EXCL,
                                      "with O_WRONLY|O_CREAT|O_EXCL and neither O_TRUNC nor O_APPEND"};
constexpr arg_condition internet_family{0, 0xffffffff, AF_INET, "for AF_INET"};
constexpr arg_condition internet6_family{0, 0xffffffff, AF_INET6, "for AF_INET6"};
constexpr arg_condition local_family{0, 0xffffffff, AF_UNIX, "for AF_UNIX"};
constexpr arg_condition netlink_family{0, 0xffffffff, AF_NETLINK, "for AF_NETLINK"};

// Everything after set-up: the config is read, the command's arguments and stdin input are
// parsed, the accountd connection (and a rollover's second one) is open and greeted, libcurl is
// initialised. Measured with strace -f on issuances, account and revocation runs against
// pebble, with the CA named by IP address, by "localhost" and by a name glibc's resolver asks a
// DNS server for (test/integration/sandbox_client.sh). On top of the base
// (common/sandbox_base.cpp): read and write are stdin, stdout, the accountd connection, HTTPS
// and challenge files.
constexpr syscall_rule syscalls[] = {
    // Files: the CA bundle and TLS configuration, the resolver's files, challenge files.
    {"openat", verdict::allow, true, read_only_open,
     "CA certificates, the resolver's configuration (Landlock: only the paths below)"},
    {"openat", verdict::allow, true, new_file_open, "challenge files (Landlock: only in the challenge directory)"},
    {"pread64", verdict::allow, false, {}, "files"},
    {"lseek", verdict::allow, false, {}, "files"},
    {"writev", verdict::allow, false, {}, "stdout, stderr"},
    {"fstat", verdict::allow, false, {}, "files"},
    {"newfstatat", verdict::allow, false, {}, "files; glibc checks whether the resolver's configuration changed"},
    {"statx", verdict::allow, false, {}, "files"},
    {"unlink", verdict::allow, false, {}, "removing challenge files (Landlock: only in the challenge directory)"},
    {"unlinkat", verdict::allow, false, {}, "removing challenge files (Landlock: only in the challenge directory)"},
    {"inotify_init1", verdict::allow, false, {}, "watching the CA fetch challenge files"},
    {"inotify_add_watch", verdict::allow, false, {}, "watching the CA fetch challenge files"},
    {"inotify_rm_watch", verdict::allow, false, {}, "watching the CA fetch challenge files"},
    {"fcntl", verdict::allow, false, {}, "descriptor flags (non-blocking sockets)"},
    {"ioctl", verdict::allow, true, {1, 0xffffffff, FIONREAD, "with FIONREAD"}, "glibc's resolver sizes a DNS answer"},
    {"ioctl", verdict::allow, true, {1, 0xffffffff, FIONBIO, "with FIONBIO"}, "non-blocking sockets"},
    {"ioctl",
     verdict::allow,
     true,
     {1, 0xffffffff, TCGETS, "with TCGETS"},
     "isatty(): stdio's buffering, the account printed indented on a terminal"},
    // The network: the CA's address is only known once a URL is resolved, and the CA may send
    // URLs on other hosts, so connect() cannot be limited to addresses known in advance.
    {"socket", verdict::allow, true, internet_family, "TCP to the CA, UDP to DNS servers"},
    {"socket", verdict::allow, true, internet6_family, "TCP to the CA, UDP to DNS servers, libcurl's IPv6 probe"},
    {"socket", verdict::refuse_eperm, true, local_family,
     "glibc asks nscd, which is not used here: lookups go through nsswitch.conf"},
    {"socket", verdict::refuse_eperm, true, netlink_family, "glibc's probe of configured address families"},
    {"socketpair", verdict::allow, true, local_family, "libcurl's wake-up pipes (its resolver threads)"},
    {"connect", verdict::allow, false, {}, "the CA (any address: see above), DNS servers"},
    {"sendto", verdict::allow, false, {}, "requests"},
    {"sendmsg", verdict::allow, false, {}, "requests"},
    {"sendmmsg", verdict::allow, false, {}, "DNS queries (A and AAAA at once)"},
    {"recvfrom", verdict::allow, false, {}, "responses, DNS answers"},
    {"recvmsg", verdict::allow, false, {}, "responses"},
    {"shutdown", verdict::allow, false, {}, "ending a connection"},
    {"setsockopt", verdict::allow, false, {}, "TCP options (no delay, keep-alive)"},
    {"getsockopt", verdict::allow, false, {}, "the result of a non-blocking connect"},
    {"getsockname", verdict::allow, false, {}, "connection addresses (debug lines)"},
    {"getpeername", verdict::allow, false, {}, "connection addresses (debug lines)"},
    {"poll", verdict::allow, false, {}, "waiting for the CA, DNS answers, challenge fetches"},
    {"ppoll", verdict::allow, false, {}, "waiting for the CA"},
    // libcurl's threaded resolver: a thread per lookup, never a process.
    {"clone", verdict::allow, true, {0, CLONE_THREAD, CLONE_THREAD, "with CLONE_THREAD"}, "libcurl's resolver threads"},
    {"clone3", verdict::refuse_enosys, false, {}, "its flags are out of the filter's reach: glibc falls back to clone"},
    {"set_robust_list", verdict::allow, false, {}, "a new thread"},
    {"rseq", verdict::allow, false, {}, "a new thread"},
    {"prlimit64",
     verdict::allow,
     true,
     {2, ~std::uint64_t{0}, 0, "reading (no new limit)"},
     "a new thread's stack size"},
    {"sched_getaffinity", verdict::allow, false, {}, "the number of processors (threads)"},
    // The rest of a process's life (the base has memory, signals, time and exit).
    {"uname", verdict::allow, false, {}, "glibc's resolver (the default domain)"},
    {"sysinfo", verdict::allow, false, {}, "glibc's qsort sizes its buffer by the memory size"},
    {"clock_nanosleep", verdict::allow, false, {}, "Retry-After and polling waits"},
    {"nanosleep", verdict::allow, false, {}, "Retry-After and polling waits"},
};

// Symbolic links are followed before Landlock checks: the hashed names of /etc/ssl/certs
// point into the ca-certificates directories, /etc/resolv.conf may point into /run.
constexpr path_rule paths[] = {
    {"/etc/ssl", fs_access::read, "OpenSSL's configuration and the system's trust store (hashed names)"},
    {"/usr/share/ca-certificates", fs_access::read, "the certificates the trust store's names point to"},
    {"/usr/local/share/ca-certificates", fs_access::read, "the local certificates the trust store's names point to"},
    {"/etc/nsswitch.conf", fs_access::read, "glibc's name service configuration"},
    {"/etc/host.conf", fs_access::read, "glibc's resolver"},
    {"/etc/hosts", fs_access::read, "glibc's name service (files)"},
    {"/etc/resolv.conf", fs_access::read, "glibc's resolver (dns)"},
    {"/etc/gai.conf", fs_access::read, "glibc's address sorting"},
    {"/etc/localtime", fs_access::read, "the time zone of log lines"},
};

constexpr sandbox::policy client_policy{
    "client", syscalls, paths,
    "Also, known at run time: newOrder (only) may create, write, read and unlink regular files in its working "
    "directory, the challenge directory; with SSL_CAfile, that file may be read."};

}  // namespace

const sandbox::policy& sandbox_policy() noexcept
{
    return client_policy;
}

std::vector<path_rule> runtime_path_rules(bool writes_challenge_files, const std::string& ca_file)
{
    std::vector<path_rule> rules;
    if (writes_challenge_files)
        rules.push_back({".", fs_access::create_remove_files, "the challenge directory (the working directory)"});
    if (!ca_file.empty())
        rules.push_back({ca_file, fs_access::read, "SSL_CAfile"});
    return rules;
}

}  // namespace lacme::client
