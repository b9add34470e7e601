// SPDX-License-Identifier: GPL-3.0-or-later
// sbin/lacme: reads the command line and lacme.conf, then runs the command on one event loop.
// Exit status: master/exit_status.hpp.
#include "common/error.hpp"
#include "common/log.hpp"
#include "master/account_command.hpp"
#include "master/command_line.hpp"
#include "master/exit_status.hpp"
#include "master/master_loop.hpp"
#include "master/order_command.hpp"
#include "master/check_command.hpp"
#include "master/revoke_command.hpp"
#include "master/role_accounts.hpp"
#include "master/run_lock.hpp"
#include "master/settings.hpp"

#include <iostream>
#include <optional>

namespace {

using namespace lacme::master;

// A second newOrder run of the same configuration waits this long for the first to finish.
constexpr std::chrono::seconds run_lock_patience{10};

int run_command(const command_line& cl, const settings& s, lacme::logger& log)
{
    if (cl.command == command_kind::check)
        return run_check_command(s, cl, log);
    if (const auto missing = missing_role_accounts(s, cl.command == command_kind::new_order); !missing.empty()) {
        for (const auto& m : missing)
            log.error(m);
        return exit_usage;
    }
    std::optional<run_lock> lock;
    if (cl.command == command_kind::new_order)
        lock.emplace(s.config_file, run_lock_patience, log);
    master_loop master(s, cl, log);
    switch (cl.command) {
    case command_kind::account: return run_account_command(master);
    case command_kind::revoke_cert: return run_revoke_command(master);
    default: return run_order_command(master);
    }
}

}  // namespace

int main(int argc, char** argv)
{
    command_line cl;
    try {
        cl = parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const usage_error& e) {
        std::cerr << e.what() << "\nTry 'lacme --help' or consult the manpage for more information.\n";
        return exit_usage;
    }
    if (cl.command == command_kind::help) {
        std::cerr << usage_text();
        return exit_success;
    }
    if (cl.command == command_kind::version) {
        std::cout << "lacme (lacme-cpp) " LACME_VERSION "\n";
        return exit_success;
    }
    lacme::logger log(cl.debug   ? lacme::log_level::debug
                      : cl.quiet ? lacme::log_level::info
                                 : lacme::log_level::verbose);
    std::optional<settings> s;
    try {
        s = load_settings(cl);
        log.debug("Using configuration file: " + s->config_file);
        if (cl.command != command_kind::check)  // check lists them with its problems
            for (const auto& w : s->warnings)
                log.warning(w);
    } catch (const lacme::error& e) {
        log.error(e.what());
        return exit_usage;
    }
    try {
        return run_command(cl, *s, log);
    } catch (const std::exception& e) {
        log.error(e.what());
        return exit_failure;
    }
}
