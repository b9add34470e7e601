// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/webserver_listeners.hpp"

#include "common/error.hpp"

#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>

namespace lacme::master {
namespace {

constexpr int webserver_socket_fd = 3;
constexpr std::chrono::milliseconds webserver_grace{2000};

unique_fd bind_listener(const listen_address& a)
{
    unique_fd fd(::socket(a.family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        throw_errno("socket");
    if (a.family() != AF_UNIX) {
        const int one = 1;
        ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    }
    // UNIX sockets: mode 0666 so the front HTTP daemon (any user) can connect.
    const mode_t saved = a.family() == AF_UNIX ? ::umask(0111) : 0;
    const int rc = ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&a.address), a.length);
    const int bind_errno = errno;
    if (a.family() == AF_UNIX)
        ::umask(saved);
    if (rc != 0) {
        // Most often an overlapping run (cron and a manual one) or a web server on the port.
        if (bind_errno == EADDRINUSE)
            throw error("couldn't bind to " + a.text +
                        ": address in use (another lacme run, or a web server on that address?)");
        errno = bind_errno;
        throw_errno("couldn't bind to " + a.text);
    }
    if (::listen(fd.get(), 5) != 0)
        throw_errno("listen(" + a.text + ")");
    return fd;
}

bool is_dual_stack(int fd)
{
    int v6only = 1;
    socklen_t size = sizeof v6only;
    if (::getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &size) != 0)
        throw_errno("getsockopt(IPV6_V6ONLY)");
    return v6only == 0;
}

}  // namespace

webserver_listeners::webserver_listeners(const webserver_settings& web, const std::string& challenge_dir, bool debug)
{
    for (const auto& text : web.listen)
        addresses_.push_back(parse_listen_address(text));
    firewall_ = addresses_;
    for (const auto& a : addresses_) {
        listener l;
        l.socket = bind_listener(a);
        if (const auto v4 = ipv4_side(a); v4 && is_dual_stack(l.socket.get()))
            firewall_.push_back(*v4);
        if (a.family() == AF_UNIX)
            l.unix_path = a.text;
        child_spec spec;
        spec.argv = web.role.command;
        spec.argv.push_back(std::to_string(webserver_socket_fd));
        spec.user = web.role.user;
        spec.group = web.role.group;
        spec.directory = challenge_dir;
        spec.environment = {debug ? "DEBUG=1" : "DEBUG=0"};
        spec.fds = {
            {l.socket.get(), webserver_socket_fd}, {STDOUT_FILENO, STDOUT_FILENO}, {STDERR_FILENO, STDERR_FILENO}};
        listeners_.push_back(std::move(l));  // unlinks the socket file even if the spawn fails
        listeners_.back().server = spawn_child(spec);
    }
}

webserver_listeners::~webserver_listeners()
{
    for (auto& l : listeners_) {
        l.server.terminate(webserver_grace);
        if (!l.unix_path.empty())
            ::unlink(l.unix_path.c_str());
    }
}

}  // namespace lacme::master
