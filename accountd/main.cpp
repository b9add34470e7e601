// lacme-accountd: holds the ACME account key and signs JWS signing inputs for the lacme client,
// on a UNIX socket or on stdin/stdout (--stdio, behind the master's socketpair or `ssh -T`).
#include "accountd/key_source.hpp"
#include "accountd/server.hpp"
#include "accountd/settings.hpp"
#include "accountd/signing_service.hpp"
#include "accountd/socket_listener.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/percent_expand.hpp"

#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <iostream>

namespace {

constexpr std::string_view program = "lacme-accountd";

// The key lives in this process's memory: keep it out of core dumps.
void disable_core_dumps()
{
    const rlimit none{0, 0};
    if (::setrlimit(RLIMIT_CORE, &none) != 0)
        lacme::throw_errno("setrlimit(RLIMIT_CORE)");
}

int run(int argc, char** argv)
{
    using namespace lacme;
    using namespace lacme::accountd;

    settings s;
    try {
        s = parse_command_line(argc, argv);
    } catch (const error& e) {
        std::cerr << program << ": " << e.what() << " (try --help)\n";
        return 1;
    }
    if (s.help) {
        std::cout << usage_text();
        return 0;
    }
    if (s.version) {
        std::cout << program << " (lacme-cpp) " << LACME_VERSION << ", protocol version "
                  << accountd_protocol_version << "\n";
        return 0;
    }

    logger log(s.debug ? log_level::debug : log_level::verbose);
    bool config_read = false;
    merge_config_file(s, config_read);
    log.set_threshold(s.debug ? log_level::debug : s.quiet ? log_level::info : log_level::verbose);
    const auto expander = percent_expander::for_current_process();
    if (s.logfile && !s.logfile->empty())
        log.open_logfile(expander.expand(*s.logfile));
    if (!config_read)
        log.debug("No configuration file read");

    disable_core_dumps();
    if (s.list_keys)
        return list_keys(s, std::cout);
    const auto key = open_signer(s, log);
    signing_service service(*key, log, s.keyid);
    const auto idle_timeout = s.idle_timeout.value_or(default_idle_timeout);
    if (s.stdio)
        return serve_stdio(service, idle_timeout);
    socket_listener listener(expander.expand(s.socket.value_or("%t/S.lacme")));
    return serve_socket(service, listener, idle_timeout);
}

}  // namespace

int main(int argc, char** argv)
{
    // A peer that disconnects must cost us one connection, not the process.
    std::signal(SIGPIPE, SIG_IGN);
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << program << ": Error: " << e.what() << "\n";
        return 1;
    }
}
