// libexec/lacme/webserver FD — serves ACME http-01 challenge responses from the current
// directory on the listening socket FD, until SIGTERM. Interface of lacme 0.8's webserver.
#include "webserver/error.hpp"
#include "webserver/listen_socket.hpp"
#include "webserver/server.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <uv.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string_view>

namespace {

using namespace lacme::web;

// Owns the loop; closes it after everything on it has been closed.
class event_loop {
public:
    event_loop()
    {
        if (const int rc = uv_loop_init(&loop_); rc != 0)
            throw_uv("uv_loop_init", rc);
    }
    event_loop(const event_loop&) = delete;
    event_loop& operator=(const event_loop&) = delete;
    ~event_loop()
    {
        uv_walk(&loop_, [](uv_handle_t* h, void*) { if (!uv_is_closing(h)) uv_close(h, nullptr); }, nullptr);
        uv_run(&loop_, UV_RUN_DEFAULT);
        (void)uv_loop_close(&loop_);
    }
    uv_loop_t* get() noexcept { return &loop_; }

private:
    uv_loop_t loop_{};
};

// SIGTERM (from the master) and SIGINT stop the server; the loop then runs dry and returns.
class stop_signals {
public:
    stop_signals(uv_loop_t* loop, server& srv) : loop_(loop), srv_(srv)
    {
        try {
            for (auto* h : {&term_, &int_}) {
                if (const int rc = uv_signal_init(loop, h); rc != 0)
                    throw_uv("uv_signal_init", rc);
                h->data = this;
                ++open_;
            }
            if (const int rc = uv_signal_start(&term_, on_signal, SIGTERM); rc != 0)
                throw_uv("uv_signal_start", rc);
            if (const int rc = uv_signal_start(&int_, on_signal, SIGINT); rc != 0)
                throw_uv("uv_signal_start", rc);
        } catch (...) {
            drain();  // no destructor for a half-built object
            throw;
        }
    }
    stop_signals(const stop_signals&) = delete;
    stop_signals& operator=(const stop_signals&) = delete;
    ~stop_signals() { drain(); }

private:
    static void on_signal(uv_signal_t* h, int)
    {
        auto* self = static_cast<stop_signals*>(h->data);
        self->srv_.stop();
        self->close();
    }
    static void on_closed(uv_handle_t* h) { static_cast<stop_signals*>(h->data)->open_--; }
    // Unwinding before any signal came: the handles must be off the loop before their memory goes.
    void drain()
    {
        close();
        while (open_ > 0)
            uv_run(loop_, UV_RUN_NOWAIT);
    }
    void close()
    {
        for (auto* h : {&term_, &int_}) {
            auto* handle = reinterpret_cast<uv_handle_t*>(h);
            if (h->data == this && !uv_is_closing(handle))
                uv_close(handle, on_closed);
        }
    }

    uv_loop_t* loop_;
    server& srv_;
    int open_ = 0;
    uv_signal_t term_{};
    uv_signal_t int_{};
};

bool debug_from_environment()
{
    // Perl's master exports DEBUG=0 or DEBUG=1; Perl truthiness: unset, "" and "0" are false.
    const char* v = std::getenv("DEBUG");
    return v != nullptr && *v != '\0' && std::string_view(v) != "0";
}

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

int run(int argc, char** argv)
{
    if (argc != 2)
        throw error("usage: webserver FD  (FD: a listening TCP or UNIX socket; cwd: the challenge directory)");
    const int fd = parse_fd_argument(argv[1]);
    const socket_kind kind = inspect_listen_socket(fd);
    close_other_fds(fd);

    // Nothing here ever needs to gain privileges; seccomp builds on this later.
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        throw_errno("prctl(PR_SET_NO_NEW_PRIVS)");
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    if (::sigaction(SIGPIPE, &ign, nullptr) != 0)  // a peer gone mid-write is EPIPE, not death
        throw_errno("sigaction(SIGPIPE)");

    server_config cfg;
    cfg.debug = debug_from_environment();
    cfg.max_connections = connection_cap();

    event_loop loop;
    server srv(loop.get(), fd, kind, cfg);
    stop_signals signals(loop.get(), srv);
    srv.start();
    if (cfg.debug)
        srv.log("Serving ACME challenges on fd " + std::to_string(fd) + " (up to " +
                std::to_string(cfg.max_connections) + " connections)");
    if (const int rc = uv_run(loop.get(), UV_RUN_DEFAULT); rc < 0)
        throw_uv("uv_run", rc);
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    try {
        return run(argc, argv);
    } catch (const lacme::web::error& e) {
        std::fprintf(stderr, "webserver: %s\n", e.what());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "webserver: %s\n", e.what());
    }
    return 1;
}
