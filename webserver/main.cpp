// SPDX-License-Identifier: GPL-3.0-or-later
// libexec/lacme/webserver FD — serves ACME http-01 challenge responses from the current
// directory on the listening socket FD, until SIGTERM. Interface of lacme 0.8's webserver.
#include "common/debug_environment.hpp"
#include "common/error.hpp"
#include "common/ignore_sigpipe.hpp"
#include "common/sandbox.hpp"
#ifdef LACME_SANDBOX_SELFTEST
#include "common/sandbox_selftest.hpp"
#endif
#include "common/uv/loop.hpp"
#include "common/uv/signal_watcher.hpp"
#include "webserver/listen_socket.hpp"
#include "webserver/sandbox_policy.hpp"
#include "webserver/server.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <uv.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>

namespace {

using namespace lacme::web;
using lacme::error;
using lacme::throw_errno;
namespace uv = lacme::uv;

// Room for many idle connections if the hard limit allows it; the cap follows what we got.
std::size_t connection_cap()
{
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0)
        throw_errno("getrlimit(RLIMIT_NOFILE)");
    constexpr rlim_t wanted = 4096;
    if (rl.rlim_cur < wanted && rl.rlim_cur != RLIM_INFINITY) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, rl.rlim_max);
        if (::setrlimit(RLIMIT_NOFILE, &rl) != 0)
            throw_errno("setrlimit(RLIMIT_NOFILE)");
    }
    constexpr rlim_t reserve = 16;  // listener, epoll, signal pipe, challenge file, stdio
    const rlim_t usable = rl.rlim_cur == RLIM_INFINITY ? wanted : rl.rlim_cur;
    return usable > 2 * reserve ? static_cast<std::size_t>(std::min(usable, wanted) - reserve) : 8;
}

// Nothing here ever needs to gain privileges (the sandbox needs this before its filters), and a
// peer gone mid-write must be EPIPE, not death.
void restrict_process()
{
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        throw_errno("prctl(PR_SET_NO_NEW_PRIVS)");
    lacme::ignore_sigpipe();
}

int run(int argc, char** argv)
{
    const bool sandboxed = !(argc > 1 && std::string_view(argv[1]) == "--no-sandbox");
    if (!sandboxed) {
        --argc;
        ++argv;
    }
    if (argc != 2)
        throw error(
            "usage: webserver [--no-sandbox] FD  (FD: a listening TCP or UNIX socket; cwd: the challenge directory)");
    const int fd = parse_fd_argument(argv[1]);
    const socket_kind kind = inspect_listen_socket(fd);
    close_other_fds(fd);
    restrict_process();
    server_config cfg;
    cfg.debug = lacme::debug_from_environment();
    cfg.max_connections = connection_cap();

    uv::loop loop;
    server srv(loop.get(), fd, kind, cfg);
    // SIGTERM (from the master) and SIGINT stop the server; the loop then runs dry and returns.
    uv::signal_watcher stop_signals(loop.get(), {SIGTERM, SIGINT}, [&](int) {
        srv.stop();
        stop_signals.stop();
    });
    srv.start();
    if (sandboxed) {
        lacme::sandbox::enter(sandbox_policy());
#ifdef LACME_SANDBOX_SELFTEST
        lacme::sandbox::run_selftest("webserver");
#endif
    } else {
        lacme::sandbox::warn_unconfined("webserver");
    }
    if (cfg.debug)
        srv.log().debug("Serving ACME challenges on fd " + std::to_string(fd) + " (up to " +
                        std::to_string(cfg.max_connections) + " connections)");
    loop.run();
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        (void)std::fprintf(stderr, "webserver: %s\n", e.what());  // nowhere left to report a failed write
    }
    return 1;
}
