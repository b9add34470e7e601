// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/sandbox.hpp"

#include "common/error.hpp"
#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <linux/landlock.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

// Rights newer than Debian 12's <linux/landlock.h> (ABI 3 and 5).
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif

namespace lacme::sandbox {

namespace {

// What the SIGSYS handler prints. A signal handler can reach nothing but globals; these are
// written once by enter(), before the filter that can raise SIGSYS exists, and only read after.
constexpr std::size_t max_syscall_nr = 512;
constexpr std::size_t max_name = 32;
std::array<std::array<char, max_name>, max_syscall_nr> syscall_names{};
std::array<char, 32> role_name{};

void copy_bounded(std::array<char, max_name>& to, const char* from)
{
    std::strncpy(to.data(), from, to.size() - 1);
}

void remember_syscall_names(std::string_view role)
{
    const std::size_t n = std::min(role.size(), role_name.size() - 1);
    std::memcpy(role_name.data(), role.data(), n);
    for (std::size_t nr = 0; nr < max_syscall_nr; ++nr) {
        const std::unique_ptr<char, decltype(&std::free)> name(
            seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, static_cast<int>(nr)), &std::free);
        copy_bounded(syscall_names[nr], name ? name.get() : "?");
    }
}

// Async-signal-safe appends into a fixed buffer.
struct signal_line {
    std::array<char, 160> text{};
    std::size_t size = 0;
    void add(const char* s)
    {
        while (*s != '\0' && size < text.size())
            text[size++] = *s++;
    }
    void add_number(long v)
    {
        std::array<char, 24> digits{};
        std::size_t n = 0;
        unsigned long u = v < 0 ? 0UL - static_cast<unsigned long>(v) : static_cast<unsigned long>(v);
        do {
            digits[n++] = static_cast<char>('0' + u % 10);
            u /= 10;
        } while (u != 0 && n < digits.size());
        if (v < 0)
            add("-");
        while (n > 0 && size < text.size())
            text[size++] = digits[--n];
    }
};

// SIGSYS from the filter: one line naming the call, then death by SIGSYS itself (blocked while
// this handler runs, so it lands on return) for the parent to see. Only async-signal-safe calls.
void on_forbidden_syscall(int, siginfo_t* info, void*)
{
    const int nr = info->si_syscall;
    signal_line line;
    line.add(role_name.data());
    line.add(": sandbox: forbidden system call ");
    line.add(nr >= 0 && static_cast<std::size_t>(nr) < max_syscall_nr
                 ? syscall_names[static_cast<std::size_t>(nr)].data()
                 : "?");
    line.add(" (");
    line.add_number(nr);
    line.add("), killed\n");
    [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, line.text.data(), line.size);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(SIGSYS, &dfl, nullptr);
    ::syscall(SYS_tgkill, ::getpid(), ::syscall(SYS_gettid), SIGSYS);
}

void install_sigsys_handler()
{
    struct sigaction sa {};
    sa.sa_sigaction = on_forbidden_syscall;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (::sigaction(SIGSYS, &sa, nullptr) != 0)
        throw_errno("sigaction(SIGSYS)");
}

void warn(std::string_view role, std::string_view what)
{
    (void)std::fprintf(stderr, "%.*s: WARNING: %.*s\n", static_cast<int>(role.size()), role.data(),
                       static_cast<int>(what.size()), what.data());
}

// ---- Landlock -------------------------------------------------------------------------------

int landlock_abi()
{
    const long abi = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return abi < 0 ? -errno : static_cast<int>(abi);
}

std::uint64_t handled_rights(int abi)
{
    std::uint64_t rights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |
                           LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR |
                           LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |
                           LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
                           LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;
    if (abi >= 2)
        rights |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3)
        rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
    if (abi >= 5)
        rights |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
    return rights;
}

std::uint64_t granted_rights(fs_access access)
{
    switch (access) {
    case fs_access::read: return LANDLOCK_ACCESS_FS_READ_FILE;
    case fs_access::read_list: return LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
    case fs_access::create_remove_files:
        return LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_WRITE_FILE |
               LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE;
    case fs_access::remove_files: return LANDLOCK_ACCESS_FS_REMOVE_FILE;
    }
    return 0;
}

// Rights that make sense on a file rather than a directory (the kernel refuses the others).
constexpr std::uint64_t file_rights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                                      LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |
                                      LANDLOCK_ACCESS_FS_IOCTL_DEV;

void add_path_rule(int ruleset, const path_rule& rule, std::uint64_t handled)
{
    const std::string path(rule.path);
    const unique_fd fd(::open(path.c_str(), O_PATH | O_CLOEXEC));
    if (!fd) {
        if (errno == ENOENT)
            return;  // nothing there to grant (e.g. an optional configuration file)
        throw_errno("sandbox: open(" + path + ")");
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        throw_errno("sandbox: fstat(" + path + ")");
    landlock_path_beneath_attr attr{};
    attr.parent_fd = fd.get();
    attr.allowed_access = granted_rights(rule.access) & handled;
    if (!S_ISDIR(st.st_mode))
        attr.allowed_access &= file_rights;
    if (::syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &attr, 0) != 0)
        throw_errno("sandbox: landlock_add_rule(" + path + ")");
}

void restrict_filesystem(const policy& p, std::span<const path_rule> extra_paths)
{
    const int abi = landlock_abi();
    if (abi < 0) {
        warn(p.role, std::string("this kernel has no Landlock (") + std::strerror(-abi) +
                         "): file access is limited by permissions and the seccomp filter only");
        return;
    }
    landlock_ruleset_attr attr{};
    attr.handled_access_fs = handled_rights(abi);
    const unique_fd ruleset(static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0)));
    if (!ruleset)
        throw_errno("sandbox: landlock_create_ruleset");
    for (const std::span<const path_rule> rules : {p.paths, extra_paths, sanitizer_paths()})
        for (const path_rule& rule : rules)
            add_path_rule(ruleset.get(), rule, attr.handled_access_fs);
    if (::syscall(SYS_landlock_restrict_self, ruleset.get(), 0) != 0)
        throw_errno("sandbox: landlock_restrict_self");
}

// ---- seccomp --------------------------------------------------------------------------------

std::uint32_t seccomp_action(verdict v)
{
    switch (v) {
    case verdict::allow: return SCMP_ACT_ALLOW;
    case verdict::refuse_eperm: return SCMP_ACT_ERRNO(EPERM);
    case verdict::refuse_enosys: return SCMP_ACT_ERRNO(ENOSYS);
    }
    return SCMP_ACT_TRAP;
}

using filter_ptr = std::unique_ptr<void, decltype(&seccomp_release)>;

void add_syscall_rule(scmp_filter_ctx ctx, const syscall_rule& rule)
{
    const std::string name(rule.name);
    const int nr = seccomp_syscall_resolve_name(name.c_str());
    if (nr == __NR_SCMP_ERROR)
        throw error("sandbox: unknown system call '" + name + "' in the policy table");
    int rc = 0;
    if (rule.conditional)
        rc = seccomp_rule_add(ctx, seccomp_action(rule.action), nr, 1,
                              SCMP_CMP(rule.when.index, SCMP_CMP_MASKED_EQ, rule.when.mask, rule.when.value));
    else
        rc = seccomp_rule_add(ctx, seccomp_action(rule.action), nr, 0);
    if (rc != 0)
        throw error("sandbox: seccomp rule for " + name + ": " + std::strerror(-rc));
}

bool kernel_has_seccomp_filters()
{
    // PR_GET_SECCOMP fails with EINVAL on a kernel built without seccomp.
    return ::prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0;
}

void restrict_syscalls(const policy& p)
{
    if (!kernel_has_seccomp_filters()) {
        warn(p.role, "this kernel has no seccomp: system calls are not filtered");
        return;
    }
    const filter_ptr ctx(seccomp_init(SCMP_ACT_TRAP), &seccomp_release);
    if (!ctx)
        throw error("sandbox: seccomp_init failed");
    // Threads started before enter() (none today) get the same filter.
    if (seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_TSYNC, 1) != 0)
        throw error("sandbox: seccomp thread synchronisation unavailable");
    for (const syscall_rule& rule : syscalls_in_force(p))
        add_syscall_rule(ctx.get(), rule);
    for (const syscall_rule& rule : sanitizer_syscalls())
        add_syscall_rule(ctx.get(), rule);
    remember_syscall_names(p.role);
    install_sigsys_handler();
    if (const int rc = seccomp_load(ctx.get()); rc != 0)
        throw error(std::string("sandbox: seccomp_load: ") + std::strerror(-rc));
}

void set_rlimits()
{
    const rlimit none{0, 0};
    if (::setrlimit(RLIMIT_CORE, &none) != 0)
        throw_errno("sandbox: setrlimit(RLIMIT_CORE)");
}

// ---- man page -------------------------------------------------------------------------------

std::string roff_escaped(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (c == '-' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

std::string_view access_text(fs_access access)
{
    switch (access) {
    case fs_access::read: return "read files";
    case fs_access::read_list: return "read files, list directories";
    case fs_access::create_remove_files: return "create, write, read and unlink regular files";
    case fs_access::remove_files: return "unlink files";
    }
    return "";
}

std::string_view verdict_text(verdict v)
{
    switch (v) {
    case verdict::allow: return "";
    case verdict::refuse_eperm: return "fails with EPERM: ";
    case verdict::refuse_enosys: return "fails with ENOSYS: ";
    }
    return "";
}

void render_syscall_rules(std::string& out, std::span<const syscall_rule> rules)
{
    for (const syscall_rule& rule : rules) {
        out += ".TP\n.B " + roff_escaped(rule.name) + "\n";
        if (rule.conditional)
            out += "only " + roff_escaped(rule.when.text) + "; ";
        out += roff_escaped(verdict_text(rule.action)) + roff_escaped(rule.why) + "\n";
    }
}

}  // namespace

std::span<const syscall_rule> sanitizer_syscalls() noexcept
{
#ifdef LACME_SANITIZE
    // AddressSanitizer's runtime: alternate signal stacks, its allocator, and at exit the leak
    // checker, which clones a tracer (not a thread) that ptraces the process and reads /proc.
    static constexpr syscall_rule rules[] = {
        {"sigaltstack", verdict::allow, false, {}, "sanitizer: signal stacks"},
        {"mprotect", verdict::allow, false, {}, "sanitizer: allocator"},
        {"prctl", verdict::allow, false, {}, "sanitizer: leak checker"},
        {"clone", verdict::allow, false, {}, "sanitizer: leak checker's tracer"},
        {"ptrace", verdict::allow, false, {}, "sanitizer: leak checker"},
        {"wait4", verdict::allow, false, {}, "sanitizer: leak checker"},
        {"sched_yield", verdict::allow, false, {}, "sanitizer: leak checker"},
        {"sched_getaffinity", verdict::allow, false, {}, "sanitizer: new threads"},
        {"getdents64", verdict::allow, false, {}, "sanitizer: leak checker lists threads"},
        {"readlink", verdict::allow, false, {}, "sanitizer: reports"},
        {"readlinkat", verdict::allow, false, {}, "sanitizer: reports"},
        {"prlimit64", verdict::allow, false, {}, "sanitizer"},
        {"getrlimit", verdict::allow, false, {}, "sanitizer"},
        {"getppid", verdict::allow, false, {}, "sanitizer: leak checker"},
        {"kill", verdict::allow, false, {}, "sanitizer: leak checker"},
        {"pipe2", verdict::allow, false, {}, "sanitizer: symbolizer"},
        {"openat", verdict::allow, false, {}, "sanitizer: reports"},
        // The leak checker's tracer lists /proc/PID/task with the old calls (measured: killed
        // without them, and the process then waits for it forever).
        {"open", verdict::allow, false, {}, "sanitizer: leak checker lists threads"},
        {"getdents", verdict::allow, false, {}, "sanitizer: leak checker lists threads"},
        // It rewinds /proc/PID/task between listings; every role but the relay allowed lseek
        // anyway (measured: the relay's leak check spun forever without it).
        {"lseek", verdict::allow, false, {}, "sanitizer: leak checker lists threads"},
    };
    return rules;
#else
    return {};
#endif
}

std::span<const path_rule> sanitizer_paths() noexcept
{
#ifdef LACME_SANITIZE
    static constexpr path_rule rules[] = {
        {"/proc", fs_access::read_list, "sanitizer: memory maps and threads for reports and the leak checker"},
    };
    return rules;
#else
    return {};
#endif
}

void enter(const policy& p, std::span<const path_rule> extra_paths)
{
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        throw_errno("sandbox: prctl(PR_SET_NO_NEW_PRIVS)");
    set_rlimits();
    restrict_filesystem(p, extra_paths);
    restrict_syscalls(p);
}

void warn_unconfined(std::string_view role)
{
    warn(role, "--no-sandbox: running WITHOUT seccomp, Landlock or rlimits: for debugging only");
}

std::string render_man_table(const policy& p)
{
    std::string out =
        ".SS \"System calls (seccomp)\"\nAny other system call kills the process after one log line naming it.\n"
        "Every confined lacme process may make these:\n";
    render_syscall_rules(out, base_syscalls());
    out += ".PP\nThis one may also make these:\n";
    render_syscall_rules(out, p.syscalls);
    out +=
        p.paths.empty() && p.runtime_paths.empty()
            ? ".SS \"Files (Landlock)\"\nNo file can be read, written, created, removed or executed (the descriptors "
              "opened before stay usable).\n"
            : ".SS \"Files (Landlock)\"\nNothing else can be read, written, created, removed or executed.\n";
    for (const path_rule& rule : p.paths)
        out += ".TP\n.I " + roff_escaped(rule.path) + "\n" + roff_escaped(access_text(rule.access)) + ": " +
               roff_escaped(rule.why) + "\n";
    if (!p.runtime_paths.empty())
        out += ".PP\n" + roff_escaped(p.runtime_paths) + "\n";
    out += ".SS \"Resource limits\"\nRLIMIT_CORE 0: no core files.\n";
    return out;
}

}  // namespace lacme::sandbox
