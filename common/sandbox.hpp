// SPDX-License-Identifier: GPL-3.0-or-later
// Confinement of a process once its set-up is done: PR_SET_NO_NEW_PRIVS, rlimits, Landlock
// (filesystem: where the running kernel has it) and a seccomp-bpf filter (libseccomp).
// Each role describes what it may do in ONE policy table (webserver/, client/, accountd/
// sandbox_policy.cpp, accountd/relay/relay_sandbox.cpp) that names what it adds to the base every
// confined process gets (common/sandbox_base.cpp); its man page prints base and additions
// (render_man_table), and a unit test checks that the two agree.
//
// A system call outside the table kills the process after one line on stderr naming the call
// ("ROLE: sandbox: forbidden system call NAME (NR), killed"); calls libraries only probe are
// listed as `refuse` and fail with EPERM (or ENOSYS, so libc falls back). A kernel without
// Landlock or seccomp gets a warning and the process runs with what is left: never silently,
// never a refusal to run.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::sandbox {

enum class verdict {
    allow,
    refuse_eperm,  // harmless library probes: fail, do not kill
    refuse_enosys,  // newer interfaces libc falls back from (clone3)
};

// The rule matches only when (argument[index] & mask) == value; `text` says so in the man page.
struct arg_condition {
    unsigned index = 0;
    std::uint64_t mask = 0;
    std::uint64_t value = 0;
    std::string_view text;
};

struct syscall_rule {
    std::string_view name;
    verdict action = verdict::allow;
    // Up to one condition; several rules for one call are alternatives.
    bool conditional = false;
    arg_condition when{};
    std::string_view why;
};

enum class fs_access {
    read,  // open files read-only
    read_list,  // read files and list directories
    create_remove_files,  // read, list, create, write, truncate and unlink regular files
    remove_files,  // unlink files (e.g. a socket on exit)
};

// Landlock: every filesystem access the kernel can restrict is denied except these, granted
// below `path` ("." is the working directory; a path that does not exist is skipped).
struct path_rule {
    std::string_view path;
    fs_access access = fs_access::read;
    std::string_view why;
};

struct policy {
    std::string_view role;  // prefix of every log line, e.g. "webserver"
    std::span<const syscall_rule> syscalls;  // the role's own, on top of base_syscalls()
    std::span<const path_rule> paths;
    // Paths only known at run time (e.g. the client's CA bundle), said in the man page.
    std::string_view runtime_paths;
};

// What every confined process may do whatever its role (memory, locks, time, signals, exit,
// read/write/close on descriptors it holds): no rule of a role's table repeats one of these.
std::span<const syscall_rule> base_syscalls() noexcept;

// The base followed by the role's own rules: what enter() allows (sanitizer rules aside).
std::vector<syscall_rule> syscalls_in_force(const policy& p);

// Extra rules of the sanitizer build (LACME_SANITIZE): its runtime's own calls (alternate signal
// stacks, the leak checker's stop-the-world thread, /proc reads for reports). Empty otherwise.
std::span<const syscall_rule> sanitizer_syscalls() noexcept;
std::span<const path_rule> sanitizer_paths() noexcept;

// Enters the sandbox for the rest of the process's life: no_new_privs, RLIMIT_CORE 0 (no key or
// challenge material in core files), Landlock, then seccomp. `extra_paths` join the policy's
// (same meaning). Throws lacme::error when a filter cannot be built or installed on a kernel
// that has the feature; warns on stderr when the kernel lacks it.
void enter(const policy& p, std::span<const path_rule> extra_paths = {});

// `--no-sandbox`: the loud line a process prints when it skips enter().
void warn_unconfined(std::string_view role);

// The policy as man(7) source, the base's rules then the role's (between the man page's sandbox-table markers).
std::string render_man_table(const policy& p);

}  // namespace lacme::sandbox
