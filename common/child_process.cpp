// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/child_process.hpp"

#include "common/close_fds.hpp"
#include "common/dev_null.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/fd_pair.hpp"
#include "common/percent_expand.hpp"
#include "common/privilege_drop.hpp"
#include "common/user_db.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace lacme {
namespace {

void reset_signals()
{
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (const int signo : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGQUIT})
        (void)::signal(signo, SIG_DFL);  // cannot fail: valid numbers, SIG_DFL
}

// Puts each source on its target and closes every other fd but the error pipe (close-on-exec,
// so it lives until exec). Sources and the error pipe are first moved above every target so
// that no dup2 overwrites one of them.
int apply_fd_map(const std::vector<fd_mapping>& map, int error_fd)
{
    int highest = std::max(STDERR_FILENO, error_fd);
    for (const auto& m : map)
        highest = std::max({highest, m.target, m.source});
    const int moved_error_fd = ::fcntl(error_fd, F_DUPFD_CLOEXEC, highest + 1);
    if (moved_error_fd < 0)
        throw_errno("dup");
    std::vector<fd_mapping> moved;
    for (const auto& m : map) {
        const int copy = ::fcntl(m.source, F_DUPFD_CLOEXEC, highest + 1);
        if (copy < 0)
            throw_errno("dup");
        moved.push_back({copy, m.target});
    }
    for (const int std_fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
        if (std::none_of(map.begin(), map.end(), [&](const fd_mapping& m) { return m.target == std_fd; })) {
            // Not close-on-exec: open may return std_fd itself, which must survive exec. Released:
            // close_fds_except closes it once dup2 has put it on its target.
            moved.push_back({open_dev_null(std_fd == STDIN_FILENO ? O_RDONLY : O_WRONLY).release(), std_fd});
        }
    }
    std::vector<int> keep = {moved_error_fd};
    for (const auto& m : moved) {
        if (::dup2(m.source, m.target) < 0)
            throw_errno("dup2");
        keep.push_back(m.target);
    }
    close_fds_except(keep);
    return moved_error_fd;
}

std::vector<std::string> inherited_environment()
{
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e)
        env.emplace_back(*e);
    return env;
}

std::vector<std::string> minimal_environment(const std::vector<std::string>& extra)
{
    const auto user = find_user(::getuid());
    if (!user)
        throw error("getpwuid(" + std::to_string(::getuid()) + "): no such user");
    std::vector<std::string> env = {
        "USER=" + user->name,
        "LOGNAME=" + user->name,
        "HOME=" + user->home,
        "SHELL=" + user->shell,
        ::getuid() == 0 ? "PATH=/usr/sbin:/usr/bin:/sbin:/bin" : "PATH=/usr/bin:/bin",
    };
    if (const char* term = std::getenv("TERM"))
        env.push_back(std::string("TERM=") + term);
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
}

std::optional<std::string> env_value(const std::vector<std::string>& env, std::string_view name)
{
    for (const auto& entry : env)
        if (entry.size() > name.size() && entry.starts_with(name) && entry[name.size()] == '=')
            return entry.substr(name.size() + 1);
    return std::nullopt;
}

std::string resolve_program(const std::string& name, const std::vector<std::string>& env)
{
    if (name.find('/') != std::string::npos)
        return name;
    const std::string path = env_value(env, "PATH").value_or("/usr/bin:/bin");
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto end = std::min(path.find(':', start), path.size());
        std::string candidate = path.substr(start, end - start) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        start = end + 1;
    }
    throw error("command not found");  // spawn_child names the command
}

[[noreturn]] void report_and_exit(int error_fd, std::string_view message) noexcept
{
    (void)!::write(error_fd, message.data(), std::min<std::size_t>(message.size(), 512));
    ::_exit(127);
}

// Dies with the master from now on; if the master already died (before the prctl), now.
void die_with_parent(pid_t parent) noexcept
{
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent)
        ::_exit(127);
}

[[noreturn]] void exec_child(const child_spec& spec, pid_t parent, int error_fd)
{
    die_with_parent(parent);
    reset_signals();
    if (spec.own_process_group && ::setpgid(0, 0) != 0)
        throw_errno("setpgid");
    drop_privileges(spec.user, spec.group);
    die_with_parent(parent);  // the kernel clears the parent-death signal when the uid/gid change
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        throw_errno("prctl(PR_SET_NO_NEW_PRIVS)");
    if (!spec.directory.empty() && ::chdir(spec.directory.c_str()) != 0)
        throw_errno("chdir(" + spec.directory + ")");
    ::umask(spec.umask);
    const std::vector<std::string> env =
        spec.inherit_environment ? inherited_environment() : minimal_environment(spec.environment);
    std::vector<std::string> argv = spec.argv;
    if (spec.expand_argv_after_drop) {
        const percent_expander expander(::getuid(), ::getgid(),
                                        [&](std::string_view name) { return env_value(env, name); });
        for (auto& a : argv)
            a = expander.expand(a);
    }
    const std::string program = resolve_program(argv.at(0), env);
    const int moved_error_fd = apply_fd_map(spec.fds, error_fd);
    std::vector<char*> c_argv, c_env;
    for (auto& a : argv)
        c_argv.push_back(a.data());
    c_argv.push_back(nullptr);
    std::vector<std::string> env_copy = env;
    for (auto& e : env_copy)
        c_env.push_back(e.data());
    c_env.push_back(nullptr);
    ::execve(program.c_str(), c_argv.data(), c_env.data());
    report_and_exit(moved_error_fd, "exec " + program + ": " + std::strerror(errno));
}
}  // namespace

child_process::child_process(child_process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), pidfd_(std::move(other.pidfd_))
{}

child_process& child_process::operator=(child_process&& other) noexcept
{
    if (this != &other) {
        if (running())
            terminate(std::chrono::milliseconds(0));
        pid_ = std::exchange(other.pid_, -1);
        pidfd_ = std::move(other.pidfd_);
    }
    return *this;
}

child_process::~child_process()
{
    if (running())
        terminate(std::chrono::milliseconds(0));
}

void child_process::signal(int signo) const noexcept
{
    if (pid_ > 0)
        ::kill(pid_, signo);
}

std::optional<int> child_process::try_reap() noexcept
{
    if (pid_ <= 0)
        return std::nullopt;
    int status = 0;
    pid_t r;
    do
        r = ::waitpid(pid_, &status, WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r == 0)
        return std::nullopt;
    pid_ = -1;
    pidfd_.reset();
    return r < 0 ? 0 : status;
}

int child_process::terminate(std::chrono::milliseconds grace) noexcept
{
    if (pid_ <= 0)
        return 0;
    if (grace.count() > 0) {
        signal(SIGTERM);
        exits_within(grace);
    }
    if (const auto status = try_reap())
        return *status;
    signal(SIGKILL);
    return wait();
}

int child_process::terminate_group(std::chrono::milliseconds grace) noexcept
{
    if (pid_ <= 0)
        return 0;
    ::kill(-pid_, SIGTERM);
    exits_within(grace);
    // Not reaped yet (at worst a zombie): the group's id is still this child's.
    ::kill(-pid_, SIGKILL);
    return wait();
}

int child_process::wait() noexcept
{
    if (pid_ <= 0)
        return 0;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    pidfd_.reset();
    return status;
}

int child_process::reap_within(std::chrono::milliseconds grace) noexcept
{
    if (pid_ <= 0)
        return 0;
    exits_within(grace);
    return terminate(grace);
}

bool child_process::exits_within(std::chrono::milliseconds grace) const noexcept
{
    // A signal to the waiting process ends poll() early (EINTR): wait out the rest of the grace.
    const auto deadline = std::chrono::steady_clock::now() + grace;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd p{pidfd_.get(), POLLIN, 0};
        const int r = ::poll(&p, 1, static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count(), 0)));
        if (r > 0)
            return true;
        if (r == 0 || errno != EINTR || left.count() <= 0)
            return false;
    }
}

child_process spawn_child(const child_spec& spec)
{
    if (spec.argv.empty() || spec.argv.front().empty())
        throw error("empty command");
    pipe_ends error_pipe =
        make_pipe();  // no structured binding: clang-analyzer 14 takes read() below for a write to it
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0)
        throw_errno("fork");
    if (pid == 0) {
        try {
            exec_child(spec, parent, error_pipe.write.get());
        } catch (const std::exception& e) {
            report_and_exit(error_pipe.write.get(), e.what());
        }
    }
    error_pipe.write.reset();
    unique_fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    const bool have_pidfd = pidfd.valid();
    child_process child(pid, std::move(pidfd));
    if (!have_pidfd)
        throw_errno("pidfd_open");  // child's destructor kills and reaps it
    char message[512];
    ssize_t n;
    do
        n = ::read(error_pipe.read.get(), message, sizeof message);
    while (n < 0 && errno == EINTR);
    if (n > 0) {
        child.terminate(std::chrono::milliseconds(0));
        throw error(spec.argv.front() + ": " + std::string(message, static_cast<std::size_t>(n)));
    }
    return child;
}

bool exited_successfully(int status) noexcept
{
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string describe_wait_status(int status)
{
    if (WIFEXITED(status))
        return "exited with value " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return "killed by signal " + std::to_string(WTERMSIG(status));
    return "stopped";
}

std::string run_capturing_stdout(const std::vector<std::string>& argv, std::size_t max_output)
{
    auto [read_end, write_end] = make_pipe();
    child_spec spec;
    spec.argv = argv;
    spec.directory.clear();
    spec.inherit_environment = true;
    spec.fds = {{STDIN_FILENO, STDIN_FILENO}, {write_end.get(), STDOUT_FILENO}, {STDERR_FILENO, STDERR_FILENO}};
    child_process child = spawn_child(spec);
    write_end.reset();
    // Collect the whole output before reaping, also when it is too long (the child then gets
    // EPIPE and exits); the output may be key material, hence read as a secret.
    std::string output;
    std::optional<error> failure;
    try {
        output = read_to_end(read_end.get(), max_output, "the output of " + argv.front(), true);
    } catch (const error& e) {
        failure = e;
    }
    read_end.reset();
    const int status = child.wait();
    if (failure)
        throw error(*failure);
    if (WIFSIGNALED(status))
        throw error(argv.front() + " was killed by signal " + std::to_string(WTERMSIG(status)));
    if (WEXITSTATUS(status) != 0)
        throw error(argv.front() + " exited with value " + std::to_string(WEXITSTATUS(status)));
    return output;
}

}  // namespace lacme
