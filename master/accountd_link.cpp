// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/accountd_link.hpp"

#include "common/error.hpp"
#include "common/fd_pair.hpp"
#include "common/path.hpp"
#include "common/unix_socket_connect.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace lacme::master {
namespace {

// lacme's checks: nobody else may write the socket's directory or use the socket.
void require_private(const std::string& path, mode_t forbidden, std::string_view hint)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw_errno("can't stat " + path + std::string(hint));
    if ((st.st_mode & forbidden) != 0)
        throw error("insecure permissions on " + path);
}

accountd_link connect_accountd(const std::string& socket_path)
{
    require_private(parent_directory(socket_path), 0022, "");
    require_private(socket_path, 0066, " (is lacme-accountd running?)");
    return accountd_link{connect_unix(socket_path), std::nullopt};
}

}  // namespace

accountd_link spawn_accountd(const accountd_settings& accountd, bool debug)
{
    auto [ours, theirs] = make_socket_pair();
    child_spec spec;
    spec.argv = accountd_argv(accountd, debug);
    spec.user = accountd.role.user;
    spec.group = accountd.role.group;
    spec.fds = {{theirs.get(), STDIN_FILENO}, {theirs.get(), STDOUT_FILENO}, {STDERR_FILENO, STDERR_FILENO}};
    spec.expand_argv_after_drop = true;
    if (const char* tty = std::getenv("GPG_TTY"))
        spec.environment.push_back(std::string("GPG_TTY=") + tty);
    accountd_link link{std::move(ours), spawn_child(spec)};
    return link;
}

std::vector<std::string> accountd_argv(const accountd_settings& accountd, bool debug)
{
    std::vector<std::string> argv = accountd.role.command;
    argv.emplace_back("--stdio");
    if (!accountd.config.empty())
        argv.push_back("--config=" + accountd.config);
    if (!accountd.privkey.empty())
        argv.push_back("--privkey=" + accountd.privkey);
    if (accountd.quiet)
        argv.emplace_back("--quiet");
    if (debug)
        argv.emplace_back("--debug");
    return argv;
}

accountd_link open_accountd_link(const settings& s, bool debug)
{
    if (s.accountd)
        return spawn_accountd(*s.accountd, debug);
    return connect_accountd(accountd_socket_path(s));
}

}  // namespace lacme::master
