// SPDX-License-Identifier: GPL-3.0-or-later
// lacme-accountd: holds the ACME account key and signs JWS signing inputs for the lacme client,
// on a UNIX socket or on stdin/stdout (--stdio, behind the master's socketpair or `ssh -T`).
#include "accountd/keys/key_source.hpp"
#include "accountd/policy/order_rate_limit.hpp"
#include "accountd/policy/policy_file.hpp"
#include "accountd/relay/relay_client.hpp"
#include "accountd/relay/relay_sandbox.hpp"
#include "accountd/sandbox_policy.hpp"
#include "accountd/serving/server.hpp"
#include "accountd/serving/signing_service.hpp"
#include "accountd/serving/socket_listener.hpp"
#include "accountd/settings.hpp"
#include "common/error.hpp"
#include "common/ignore_sigpipe.hpp"
#include "common/log.hpp"
#include "common/path.hpp"
#include "common/percent_expand.hpp"
#include "common/sandbox.hpp"
#ifdef LACME_SANDBOX_SELFTEST
#include "common/sandbox_selftest.hpp"
#endif
#include "ssh/authorized_keys_line.hpp"
#include "ssh/caller_identity.hpp"
#include "ssh/forced_command.hpp"

#include <sys/resource.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <iostream>
#include <list>

namespace {

constexpr std::string_view program = "lacme-accountd";

// The key lives in this process's memory: keep it out of core dumps.
void disable_core_dumps()
{
    const rlimit none{0, 0};
    if (::setrlimit(RLIMIT_CORE, &none) != 0)
        lacme::throw_errno("setrlimit(RLIMIT_CORE)");
}

// The line names this very binary, so that the forced command runs what the operator ran; a
// policy that would make every connection fail is refused now rather than at the first order
// (with --relay: the policy of that listener in the config file).
int print_authorized_keys_line(lacme::accountd::settings& s)
{
    using namespace lacme::accountd;
    if (s.relay) {
        bool config_read = false;
        merge_config_file(s, config_read);
        const auto& listener = find_listener(s, *s.relay);
        (void)read_signing_policy(lacme::percent_expander::for_current_process().expand(listener.policy));
    } else {
        (void)read_signing_policy(*s.policy);
    }
    const auto self = std::filesystem::read_symlink("/proc/self/exe").string();
    std::cout << lacme::ssh::authorized_keys_line(
                     {self, s.policy.value_or(""), s.relay, s.config, s.from, *s.public_key_file})
              << "\n";
    return 0;
}

// Connected: from here on the relay copies bytes, nothing else (accountd/relay/relay_sandbox.cpp).
void confine_relay(const lacme::accountd::settings& s)
{
    const auto& policy = lacme::accountd::relay_sandbox_policy();
    if (s.no_sandbox) {
        lacme::sandbox::warn_unconfined(policy.role);
        return;
    }
    lacme::sandbox::enter(policy);
#ifdef LACME_SANDBOX_SELFTEST
    lacme::sandbox::run_selftest(policy.role);
#endif
}

// --relay=NAME: no key, no token, no policy here; the daemon decides.
int relay_session(const lacme::accountd::settings& s, const lacme::percent_expander& expander)
{
    if (!s.relay_socket)
        throw lacme::error("--relay needs relay-socket in the config file (or --relay-socket=PATH)");
    return lacme::accountd::run_relay(expander.expand(*s.relay_socket),
                                      {*s.relay, lacme::ssh::caller_from_environment()}, [&s] { confine_relay(s); });
}

// A policy file, its state directory checked and remembered for the sandbox.
lacme::accountd::signing_policy read_policy(const std::string& path, lacme::accountd::runtime_directories& dirs)
{
    auto policy = lacme::accountd::read_signing_policy(path);
    if (policy.state_directory) {
        lacme::accountd::require_state_directory(*policy.state_directory, policy.state_directory_origin);
        dirs.state_directories.push_back(*policy.state_directory);
    }
    return policy;
}

// The guards of the [listener NAME] sections, all writing to the daemon's one audit log, and
// the tenants they make, by listener name.
struct listener_tenants {
    std::deque<lacme::accountd::signing_guard> guards;  // a deque: tenants point into it
    lacme::accountd::relay_directory by_name;
};

void add_listener_tenants(const lacme::accountd::settings& s, const lacme::percent_expander& expander,
                          const std::shared_ptr<lacme::accountd::audit_log>& audit, lacme::logger& log,
                          lacme::accountd::runtime_directories& dirs, listener_tenants& out)
{
    for (const auto& listener : s.listeners) {
        if (!listener.socket && !s.relay_socket)
            throw lacme::error(listener.origin + ": [listener " + listener.name +
                               "] has no socket, and no relay-socket is set: nothing would reach it");
        out.guards.emplace_back(read_policy(expander.expand(listener.policy), dirs), audit, log);
        out.by_name.emplace(listener.name, lacme::accountd::tenant{&out.guards.back(), "listener " + listener.name});
    }
}

// The sockets a daemon serves: the single socket of lacme 0.8 (always, without listeners;
// with them, only when `socket` is set), each listener's own socket, and the relay socket.
struct served_sockets {
    std::list<lacme::accountd::socket_listener> listeners;  // a list: not movable
    std::vector<lacme::accountd::socket_binding> bindings;
    std::vector<std::string> paths;

    void add(const std::string& path, lacme::accountd::socket_listener::directory_rule rule, std::string name,
             std::optional<lacme::accountd::tenant> who, lacme::accountd::runtime_directories& dirs)
    {
        const auto& l = listeners.emplace_back(path, rule);
        bindings.push_back({l.fd(), std::move(name), std::move(who)});
        paths.push_back(l.path());
        dirs.socket_directories.push_back(lacme::parent_directory(l.path()));
    }
};

// A token can reject the PIN at a re-login, long after start; the sandbox cannot create the
// directory that records it then. Best effort: without it, such a rejection is not recorded
// (and says so), as when the directory cannot be written.
std::string prepared_pin_state_dir(const std::string& dir)
{
    std::error_code ignored;
    std::filesystem::create_directories(std::filesystem::path(dir).parent_path(), ignored);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        return {};
    return dir;
}

// Set-up is over: from here on accountd serves and signs, nothing else (accountd/sandbox_policy.cpp).
void confine(const lacme::accountd::settings& s, const lacme::accountd::runtime_directories& dirs)
{
    if (s.no_sandbox) {
        lacme::sandbox::warn_unconfined(program);
        return;
    }
    const lacme::accountd::accountd_sandbox box(lacme::accountd::key_kind_of(s.privkey->reveal()));
    lacme::sandbox::enter(box.policy(), lacme::accountd::runtime_path_rules(dirs));
#ifdef LACME_SANDBOX_SELFTEST
    lacme::sandbox::run_selftest(program);
#endif
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
    if (s.check_policy) {
        const auto policy = read_signing_policy(*s.check_policy);
        if (policy.state_directory)
            require_state_directory(*policy.state_directory, policy.state_directory_origin);
        std::cout << describe(policy);
        return 0;
    }
    if (s.version) {
        std::cout << program << " (lacme-cpp) " << LACME_VERSION << ", protocol version " << accountd_protocol_version
                  << "\n";
        return 0;
    }

    if (s.authorized_keys_line)
        return print_authorized_keys_line(s);

    logger log(s.debug ? log_level::debug : log_level::verbose);
    bool config_read = false;
    merge_config_file(s, config_read);
    log.set_threshold(s.debug ? log_level::debug : s.quiet ? log_level::info : log_level::verbose);
    const auto expander = percent_expander::for_current_process();
    if (s.relay)  // before the daemon's log file: errors go to the SSH session's stderr
        return relay_session(s, expander);
    if (s.logfile && !s.logfile->empty())
        log.open_logfile(expander.expand(*s.logfile));
    if (!config_read)
        log.debug("No configuration file read");
    for (const auto& w : s.warnings)
        log.warning(w);

    disable_core_dumps();
    if (s.list_keys)
        return list_keys(s, std::cout);
    runtime_directories dirs;
    // Before the key: a bad policy must not cost a PIN prompt.
    std::shared_ptr<audit_log> audit;
    if (s.audit_log)
        audit =
            std::make_shared<audit_log>(*s.audit_log == "syslog" ? *s.audit_log : expander.expand(*s.audit_log), log);
    std::optional<signing_guard> guard;
    if (s.policy || audit) {
        std::optional<signing_policy> policy;
        if (s.policy)
            policy = read_policy(expander.expand(*s.policy), dirs);
        guard.emplace(std::move(policy), audit, log);
    }
    // --stdio serves one caller, under --policy: [listener NAME] sections are the daemon's.
    const bool many = !s.stdio && (!s.listeners.empty() || s.relay_socket);
    listener_tenants tenants;
    if (many)
        add_listener_tenants(s, expander, audit, log, dirs, tenants);
    require_privkey(s, config_read);
    const auto key = open_signer(s, log);
    if (s.privkey->reveal().starts_with("pkcs11:"))
        dirs.pin_state_dir = prepared_pin_state_dir(pin_state_directory(s, expander));
    for (const auto& dir : s.sandbox_write_dirs)
        dirs.backend_write_dirs.push_back(expander.expand(dir));
    signing_service service(*key, log, s.keyid,
                            {guard ? &*guard : nullptr, ssh::describe(ssh::caller_from_environment())});
    const auto idle_timeout = s.idle_timeout.value_or(default_idle_timeout);
    if (s.stdio) {
        if (const auto note = ssh::ignored_command_note_from_environment())
            log.debug(*note);
        stdio_server server(service, idle_timeout);
        confine(s, dirs);
        return server.run();
    }
    using rule = socket_listener::directory_rule;
    served_sockets sockets;
    if (!many || s.socket)
        sockets.add(expander.expand(s.socket.value_or("%t/S.lacme")), rule::not_writable_by_others, {},
                    service.fallback_tenant(), dirs);
    for (const auto& listener : s.listeners)
        if (many && listener.socket)
            sockets.add(expander.expand(*listener.socket), rule::not_writable_by_others, listener.name,
                        tenants.by_name.at(listener.name), dirs);
    if (s.relay_socket)
        sockets.add(expander.expand(*s.relay_socket), rule::private_to_owner, "relay", std::nullopt, dirs);
    socket_server server(service, std::move(sockets.bindings), sockets.paths, idle_timeout,
                         s.relay_socket ? &tenants.by_name : nullptr);
    confine(s, dirs);
    return server.run();
}

}  // namespace

int main(int argc, char** argv)
{
    // A peer that disconnects must cost us one connection, not the process.
    try {
        lacme::ignore_sigpipe();
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << program << ": " << lacme::error_text(e.what()) << "\n";
        return 1;
    }
}
