// SPDX-License-Identifier: GPL-3.0-or-later
// lacme-accountd: holds the ACME account key and signs JWS signing inputs for the lacme client,
// on a UNIX socket or on stdin/stdout (--stdio, behind the master's socketpair or `ssh -T`).
#include "accountd/keys/key_source.hpp"
#include "accountd/policy/order_rate_limit.hpp"
#include "accountd/policy/policy_file.hpp"
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
#include <filesystem>
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

// The line names this very binary, so that the forced command runs what the operator ran; a
// policy that would make every connection fail is refused now rather than at the first order.
int print_authorized_keys_line(const lacme::accountd::settings& s)
{
    (void)lacme::accountd::read_signing_policy(*s.policy);
    const auto self = std::filesystem::read_symlink("/proc/self/exe").string();
    std::cout << lacme::ssh::authorized_keys_line({self, *s.policy, s.config, s.from, *s.public_key_file}) << "\n";
    return 0;
}

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
        std::cout << program << " (lacme-cpp) " << LACME_VERSION << ", protocol version "
                  << accountd_protocol_version << "\n";
        return 0;
    }

    if (s.authorized_keys_line)
        return print_authorized_keys_line(s);

    logger log(s.debug ? log_level::debug : log_level::verbose);
    bool config_read = false;
    merge_config_file(s, config_read);
    log.set_threshold(s.debug ? log_level::debug : s.quiet ? log_level::info : log_level::verbose);
    const auto expander = percent_expander::for_current_process();
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
    std::optional<signing_guard> guard;
    if (s.policy || s.audit_log) {
        std::optional<signing_policy> policy;
        if (s.policy) {
            policy = read_signing_policy(expander.expand(*s.policy));
            if (policy->state_directory) {
                require_state_directory(*policy->state_directory, policy->state_directory_origin);
                dirs.state_directory = *policy->state_directory;
            }
        }
        std::optional<std::string> audit;
        if (s.audit_log)
            audit = *s.audit_log == "syslog" ? *s.audit_log : expander.expand(*s.audit_log);
        guard.emplace(std::move(policy), audit, ssh::describe(ssh::caller_from_environment()), log);
    }
    require_privkey(s, config_read);
    const auto key = open_signer(s, log);
    if (s.privkey->reveal().starts_with("pkcs11:"))
        dirs.pin_state_dir = prepared_pin_state_dir(pin_state_directory(s, expander));
    for (const auto& dir : s.sandbox_write_dirs)
        dirs.backend_write_dirs.push_back(expander.expand(dir));
    signing_service service(*key, log, s.keyid, guard ? &*guard : nullptr);
    const auto idle_timeout = s.idle_timeout.value_or(default_idle_timeout);
    if (s.stdio) {
        if (const auto note = ssh::ignored_command_note_from_environment())
            log.debug(*note);
        stdio_server server(service, idle_timeout);
        confine(s, dirs);
        return server.run();
    }
    socket_listener listener(expander.expand(s.socket.value_or("%t/S.lacme")));
    dirs.socket_directory = parent_directory(listener.path());
    socket_server server(service, listener, idle_timeout);
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
