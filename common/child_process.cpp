#include "common/child_process.hpp"

#include "common/close_fds.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/fd_pair.hpp"
#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>

namespace lacme {

std::string run_capturing_stdout(const std::vector<std::string>& argv, std::size_t max_output)
{
    if (argv.empty() || argv.front().empty())
        throw error("empty command");
    auto [read_end, write_end] = make_pipe();

    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    const pid_t pid = ::fork();
    if (pid < 0)
        throw_errno("fork");
    if (pid == 0) {
        // Child: only async-signal-safe calls until exec.
        if (::dup2(write_end.get(), STDOUT_FILENO) < 0)
            ::_exit(127);
        close_fds_except({});
        ::execvp(args[0], args.data());
        const char msg[] = "exec failed\n";
        (void)!::write(STDERR_FILENO, msg, sizeof msg - 1);
        ::_exit(127);
    }
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
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            throw_errno("waitpid");
    }
    if (failure)
        throw *failure;
    if (WIFSIGNALED(status))
        throw error(argv.front() + " was killed by signal " + std::to_string(WTERMSIG(status)));
    if (WEXITSTATUS(status) != 0)
        throw error(argv.front() + " exited with value " + std::to_string(WEXITSTATUS(status)));
    return output;
}

}  // namespace lacme
