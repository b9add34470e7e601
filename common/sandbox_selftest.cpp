// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/sandbox_selftest.hpp"

#include "common/unique_fd.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace lacme::sandbox {

namespace {

// 0 or an errno value.
int try_connect(const std::string& target)
{
    const auto colon = target.rfind(':');
    if (colon == std::string::npos)
        return EINVAL;
    int port = 0;
    std::from_chars(target.data() + colon + 1, target.data() + target.size(), port);
    const unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        return errno;
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::inet_pton(AF_INET, target.substr(0, colon).c_str(), &sa.sin_addr) != 1)
        return EINVAL;
    return ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&sa), sizeof sa) == 0 ? 0 : errno;
}

int try_open(const std::string& path, int flags)
{
    const unique_fd fd(::open(path.c_str(), flags | O_CLOEXEC, 0600));
    return fd ? 0 : errno;
}

int try_exec(const std::string& path)
{
    char* const argv[] = {const_cast<char*>(path.c_str()), nullptr};
    ::execve(path.c_str(), argv, argv + 1);
    return errno;
}

}  // namespace

void run_selftest(std::string_view role)
{
    const char* request = std::getenv("LACME_SANDBOX_SELFTEST");
    if (request == nullptr)
        return;
    const std::string action(request);
    const auto colon = action.find(':');
    const std::string verb = action.substr(0, colon);
    const std::string target = colon == std::string::npos ? "" : action.substr(colon + 1);
    int err = EINVAL;
    if (verb == "write")
        err = try_open(target, O_WRONLY | O_CREAT);
    else if (verb == "create")
        err = try_open(target, O_WRONLY | O_CREAT | O_EXCL);
    else if (verb == "read")
        err = try_open(target, O_RDONLY);
    else if (verb == "exec")
        err = try_exec(target);
    else if (verb == "connect")
        err = try_connect(target);
    if (err == 0)
        (void)std::fprintf(stderr, "%.*s: sandbox selftest: %s: ALLOWED\n", static_cast<int>(role.size()), role.data(),
                           request);
    else
        (void)std::fprintf(stderr, "%.*s: sandbox selftest: %s: denied (%s)\n", static_cast<int>(role.size()),
                           role.data(), request, std::strerror(err));
}

}  // namespace lacme::sandbox
