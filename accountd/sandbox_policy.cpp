// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/sandbox_policy.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <array>

namespace lacme::accountd {

namespace {

using sandbox::arg_condition;
using sandbox::fs_access;
using sandbox::path_rule;
using sandbox::syscall_rule;
using sandbox::verdict;

enum class applies { every_key, in_memory_keys, external_keys };

struct table_syscall {
    applies to = applies::every_key;
    syscall_rule rule;
};

struct table_path {
    applies to = applies::every_key;
    path_rule rule;
};

constexpr arg_condition unix_domain{0, 0xffffffff, AF_UNIX, "for AF_UNIX"};
constexpr arg_condition new_thread{0, CLONE_THREAD | CLONE_VM, CLONE_THREAD | CLONE_VM,
                                   "with CLONE_THREAD and CLONE_VM"};
constexpr arg_condition reading_limits{2, ~0ULL, 0, "without a new limit"};

// Everything after set-up: the key is loaded (the token logged in, gpg: decrypted), the socket
// bound or stdio wrapped, the log and audit files open, the event loops and signal pipe made.
// No exec, no fork, no bind or listen; files only as Landlock allows (see the paths below).
// Rules for "external" keys say so in their first words, which is how the man page shows it.
// On top of the base (common/sandbox_base.cpp): read and write are requests, signatures, state
// files, the log file and the audit log.
constexpr table_syscall table[] = {
    {applies::every_key, {"accept4", verdict::allow, false, {}, "new connections on the listening socket"}},
    {applies::every_key, {"accept", verdict::allow, false, {}, "new connections (older libuv)"}},
    {applies::every_key, {"readv", verdict::allow, false, {}, "requests"}},
    {applies::every_key, {"recvfrom", verdict::allow, false, {}, "requests"}},
    {applies::every_key, {"writev", verdict::allow, false, {}, "signatures"}},
    {applies::every_key, {"sendto", verdict::allow, false, {}, "signatures, log lines, syslog"}},
    {applies::every_key, {"shutdown", verdict::allow, false, {}, "ending a connection"}},
    {applies::every_key,
     {"openat", verdict::allow, false, {}, "state files (Landlock: only in the state directories)"}},
    {applies::every_key, {"fstat", verdict::allow, false, {}, "state files"}},
    {applies::every_key, {"newfstatat", verdict::allow, false, {}, "state files, the socket before it is unlinked"}},
    {applies::every_key, {"statx", verdict::allow, false, {}, "state files"}},
    {applies::every_key, {"lseek", verdict::allow, false, {}, "state files"}},
    {applies::every_key,
     {"getdents64", verdict::allow, false, {}, "temporary files a killed writer left in a state directory"}},
    {applies::every_key, {"flock", verdict::allow, false, {}, "the state directories' locks"}},
    {applies::every_key, {"fchmod", verdict::allow, false, {}, "mode 0600 of a new state file"}},
    {applies::every_key, {"fsync", verdict::allow, false, {}, "state files"}},
    {applies::every_key, {"fdatasync", verdict::allow, false, {}, "the audit log"}},
    {applies::every_key,
     {"fallocate",
      verdict::allow,
      true,
      {1, 0xffffffff, FALLOC_FL_KEEP_SIZE, "with FALLOC_FL_KEEP_SIZE"},
      "the audit log's room reserved ahead of its records"}},
    {applies::every_key, {"rename", verdict::allow, false, {}, "state files replaced atomically"}},
    {applies::every_key, {"renameat", verdict::allow, false, {}, "state files replaced atomically"}},
    {applies::every_key, {"unlink", verdict::allow, false, {}, "the socket on exit, abandoned temporary state files"}},
    {applies::every_key, {"unlinkat", verdict::allow, false, {}, "abandoned temporary state files"}},
    {applies::every_key,
     {"ioctl",
      verdict::allow,
      true,
      {1, 0xffffffff, FIONBIO, "with FIONBIO"},
      "libuv makes accepted sockets non-blocking"}},
    {applies::every_key, {"fcntl", verdict::allow, false, {}, "descriptor flags; PKCS#11 modules' file locks"}},
    {applies::every_key,
     {"getsockopt", verdict::allow, false, {}, "socket errors; the relay socket's peer (SO_PEERCRED)"}},
    {applies::every_key, {"setsockopt", verdict::allow, false, {}, "socket options of accepted connections"}},
    {applies::every_key, {"getsockname", verdict::allow, false, {}, "socket addresses"}},
    {applies::every_key, {"getpeername", verdict::allow, false, {}, "socket addresses"}},
    {applies::in_memory_keys,
     {"socket", verdict::refuse_eperm, true, unix_domain,
      "file: and gpg: keys: glibc's syslog() reconnecting to /dev/log (audit-log = syslog) after syslogd restarted: "
      "the record is lost"}},
    {applies::every_key, {"epoll_wait", verdict::allow, false, {}, "the event loops"}},
    {applies::every_key, {"epoll_pwait", verdict::allow, false, {}, "the event loops"}},
    {applies::every_key, {"epoll_ctl", verdict::allow, false, {}, "the event loops"}},
    {applies::every_key, {"clock_nanosleep", verdict::allow, false, {}, "waiting for a state directory's lock"}},
    {applies::every_key, {"nanosleep", verdict::allow, false, {}, "waiting for a state directory's lock"}},
    {applies::every_key,
     {"clone", verdict::allow, true, new_thread, "worker threads (event loops, libuv's thread pool)"}},
    {applies::every_key, {"clone3", verdict::refuse_enosys, false, {}, "glibc then creates threads with clone"}},
    {applies::every_key, {"set_robust_list", verdict::allow, false, {}, "new threads"}},
    {applies::every_key, {"rseq", verdict::allow, false, {}, "new threads"}},
    {applies::every_key,
     {"prlimit64", verdict::allow, true, reading_limits, "libuv reads the stack size of new threads"}},
    {applies::every_key, {"sched_yield", verdict::allow, false, {}, "locks"}},
    {applies::every_key, {"mlock", verdict::allow, false, {}, "secrets kept out of swap"}},
    {applies::every_key, {"munlock", verdict::allow, false, {}, "secrets kept out of swap"}},
    {applies::external_keys,
     {"socket", verdict::allow, true, unix_domain,
      "pkcs11: and store: keys only: a TPM's TCTI (swtpm) connects for every command, a PKCS#11 module to its daemon "
      "(pcscd) after a restart"}},
    {applies::external_keys,
     {"connect", verdict::allow, false, {}, "pkcs11: and store: keys only: those AF_UNIX sockets"}},
    {applies::external_keys,
     {"sendmsg", verdict::allow, false, {}, "pkcs11: and store: keys only: a module's or provider's daemon"}},
    {applies::external_keys,
     {"recvmsg", verdict::allow, false, {}, "pkcs11: and store: keys only: a module's or provider's daemon"}},
    {applies::external_keys,
     {"poll", verdict::allow, false, {}, "pkcs11: and store: keys only: a module's or provider's daemon"}},
    {applies::external_keys,
     {"ppoll", verdict::allow, false, {}, "pkcs11: and store: keys only: a module's or provider's daemon"}},
    {applies::external_keys,
     {"pread64",
      verdict::allow,
      false,
      {},
      "pkcs11: and store: keys only: a module's store (tpm2-pkcs11's SQLite database)"}},
    {applies::external_keys,
     {"pwrite64",
      verdict::allow,
      false,
      {},
      "pkcs11: and store: keys only: a module's store (tpm2-pkcs11's SQLite database)"}},
    {applies::external_keys,
     {"ftruncate",
      verdict::allow,
      false,
      {},
      "pkcs11: and store: keys only: a module rewriting its files (Landlock: only in a --sandbox-write-dir)"}},
    {applies::external_keys,
     {"faccessat",
      verdict::allow,
      false,
      {},
      "pkcs11: and store: keys only: a module probing its files; the PIN state directory"}},
    {applies::external_keys,
     {"faccessat2",
      verdict::allow,
      false,
      {},
      "pkcs11: and store: keys only: a module probing its files; the PIN state directory"}},
    {applies::external_keys, {"getuid", verdict::allow, false, {}, "pkcs11: and store: keys only: modules"}},
    {applies::external_keys, {"geteuid", verdict::allow, false, {}, "pkcs11: and store: keys only: modules"}},
};

// Landlock: nothing else can be read, written, created, removed or executed.
constexpr table_path path_table[] = {
    {applies::every_key,
     {"/dev/null", fs_access::read, "libuv's spare descriptor for when the process runs out of them"}},
    {applies::every_key, {"/etc/localtime", fs_access::read, "the time zone of log lines"}},
    {applies::external_keys,
     {"/", fs_access::read_list,
      "pkcs11: and store: keys only: what a module or provider reads at signing time is its own choice (SoftHSM "
      "rereads its token directory for every signature); nothing can be written, created, removed or executed"}},
};

constexpr std::string_view runtime_paths_text =
    "Also, each where configured and present at start: the signing policy's state-directory and, for "
    "pkcs11: keys, the pin-state-dir (created at start if missing): create, write, read and unlink regular "
    "files (rate limits, rejected PINs); each --sandbox-write-dir: the same, for the key backend; the "
    "socket's directory: unlink files (the socket, on exit). "
    "The log file and the audit log are opened before, and only appended to.";

template <std::size_t N>
constexpr std::array<syscall_rule, N> all_syscall_rules(const table_syscall (&rows)[N])
{
    std::array<syscall_rule, N> out{};
    for (std::size_t i = 0; i < N; ++i)
        out[i] = rows[i].rule;
    return out;
}

template <std::size_t N>
constexpr std::array<path_rule, N> all_path_rules(const table_path (&rows)[N])
{
    std::array<path_rule, N> out{};
    for (std::size_t i = 0; i < N; ++i)
        out[i] = rows[i].rule;
    return out;
}

constexpr auto documented_syscalls = all_syscall_rules(table);
constexpr auto documented_paths = all_path_rules(path_table);
constexpr sandbox::policy documented{"lacme-accountd", documented_syscalls, documented_paths, runtime_paths_text};

bool applies_to(applies scope, key_kind kind)
{
    return scope == applies::every_key || (scope == applies::external_keys) == (kind == key_kind::external);
}

}  // namespace

key_kind key_kind_of(std::string_view privkey) noexcept
{
    return privkey.starts_with("pkcs11:") || privkey.starts_with("store:") ? key_kind::external : key_kind::in_memory;
}

accountd_sandbox::accountd_sandbox(key_kind kind)
{
    for (const table_syscall& row : table)
        if (applies_to(row.to, kind))
            syscalls_.push_back(row.rule);
    for (const table_path& row : path_table)
        if (applies_to(row.to, kind))
            paths_.push_back(row.rule);
    policy_ = sandbox::policy{documented.role, syscalls_, paths_, documented.runtime_paths};
}

std::vector<sandbox::path_rule> runtime_path_rules(const runtime_directories& dirs)
{
    std::vector<path_rule> rules;
    for (const std::string& dir : dirs.state_directories)
        rules.push_back({dir, fs_access::create_remove_files, "the signing policy's state-directory"});
    if (!dirs.pin_state_dir.empty())
        rules.push_back({dirs.pin_state_dir, fs_access::create_remove_files, "the pin-state-dir"});
    for (const std::string& dir : dirs.socket_directories)
        rules.push_back({dir, fs_access::remove_files, "the socket's directory"});
    for (const std::string& dir : dirs.backend_write_dirs)
        rules.push_back({dir, fs_access::create_remove_files, "--sandbox-write-dir"});
    return rules;
}

const sandbox::policy& documented_sandbox_policy() noexcept
{
    return documented;
}

}  // namespace lacme::accountd
