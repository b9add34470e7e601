// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/serving/socket_listener.hpp"

#include "common/error.hpp"
#include "common/path.hpp"
#include "common/unix_socket_address.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <string>

#include <cerrno>
#include <cstring>

namespace lacme::accountd {
namespace {

sockaddr_un socket_address(const std::string& path)
{
    const auto addr = unix_socket_address(path);
    if (!addr)
        throw error("invalid socket name " + path);
    return *addr;
}

// Removes a socket left behind by a dead daemon; refuses anything else that sits at path.
void clear_stale_socket(const std::string& path, const sockaddr_un& addr)
{
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT)
            return;
        throw_errno("stat(" + path + ")");
    }
    if (!S_ISSOCK(st.st_mode))
        throw error(path + " exists and is not a socket");
    const unique_fd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!probe)
        throw_errno("socket");
    if (::connect(probe.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0)
        throw error(path + " is in use by a running lacme-accountd");
    if (errno != ECONNREFUSED)
        throw_errno("connect(" + path + ")");
    if (::unlink(path.c_str()) != 0)
        throw_errno("unlink(" + path + ")");
}

}  // namespace

socket_listener::socket_listener(std::string path, directory_rule rule) : path_(std::move(path))
{
    const sockaddr_un addr = socket_address(path_);
    const std::string dir = parent_directory(path_);
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0)
        throw_errno("stat(" + dir + ")");
    if ((st.st_mode & 0022) != 0)
        throw error("insecure permissions on " + dir + " (group or other writable)");
    if (rule == directory_rule::private_to_owner && ((st.st_mode & 0077) != 0 || st.st_uid != ::geteuid()))
        throw error("insecure permissions on " + dir +
                    " (the relay socket's directory must be mode 0700, owned by uid " + std::to_string(::geteuid()) +
                    ")");
    clear_stale_socket(path_, addr);

    fd_ = unique_fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd_)
        throw_errno("socket");
    // Bind under a temporary name and rename once listening, so that the socket never exists at
    // its path without accepting (a peer polling for the file would get ECONNREFUSED). Paths too
    // long for the temporary name are bound directly.
    const std::size_t base = path_.rfind('/') + 1;  // 0 without a slash (npos + 1)
    const std::string temp = path_.substr(0, base) + "." + path_.substr(base) + "." + std::to_string(::getpid());
    const bool via_temp = temp.size() < sizeof addr.sun_path;
    const std::string& bound = via_temp ? temp : path_;
    const sockaddr_un bind_addr = socket_address(bound);
    if (via_temp)
        ::unlink(temp.c_str());  // leftover of a crashed daemon with our pid
    // umask is process-wide; nothing else runs yet, so the window cannot affect other files.
    const mode_t saved = ::umask(0177);
    const int rc = ::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&bind_addr), sizeof bind_addr);
    const int bind_errno = errno;
    ::umask(saved);
    if (rc != 0) {
        errno = bind_errno;
        throw_errno("bind(" + bound + ")");
    }
    if (::listen(fd_.get(), 64) != 0 || (via_temp && ::rename(temp.c_str(), path_.c_str()) != 0)) {
        const int saved_errno = errno;
        ::unlink(bound.c_str());
        errno = saved_errno;
        throw_errno("listen(" + path_ + ")");
    }
    if (::lstat(path_.c_str(), &st) != 0)
        throw_errno("stat(" + path_ + ")");
    dev_ = st.st_dev;
    ino_ = st.st_ino;
}

socket_listener::~socket_listener()
{
    struct stat st {};
    if (ino_ != 0 && ::lstat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_)
        ::unlink(path_.c_str());
}

}  // namespace lacme::accountd
