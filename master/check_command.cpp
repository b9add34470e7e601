// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/check_command.hpp"

#include "common/error.hpp"
#include "common/path.hpp"
#include "master/certificate_config.hpp"
#include "master/certificate_config_items.hpp"
#include "master/exit_status.hpp"
#include "master/role_accounts.hpp"
#include "master/section_check.hpp"

#include <unistd.h>

#include <algorithm>

namespace lacme::master {
namespace {

// Commands looked up in PATH (ssh -T ...) or %-expanded later are checked when they run.
void check_command_path(const char* section, const child_role& role, std::vector<std::string>& problems)
{
    const std::string& program = role.command.front();
    if (program.starts_with('/') && program.find('%') == std::string::npos && ::access(program.c_str(), X_OK) != 0)
        problems.push_back(role.command_origin + ": [" + section + "] command " + program + " is not executable");
}

}  // namespace

std::vector<std::string> check_settings(const settings& s, bool http_01)
{
    std::vector<std::string> problems = missing_role_accounts(s, true);
    check_command_path("client", s.client, problems);
    if (http_01 && !s.webserver.challenge_directory)
        check_command_path("webserver", s.webserver.role, problems);
    else if (http_01 && ::access(s.webserver.challenge_directory->c_str(), W_OK | X_OK) != 0)
        problems.push_back("[webserver] challenge-directory " + *s.webserver.challenge_directory + " is not writable");
    if (s.accountd)
        check_command_path("accountd", s.accountd->role, problems);
    try {
        if (http_01)
            require_challenge_responder(s.webserver);
    } catch (const error& e) {
        problems.emplace_back(e.what());
    }
    return problems;
}

int run_check_command(const settings& s, const command_line& cl, logger& log)
{
    std::vector<std::string> problems;
    std::vector<std::string> warnings = s.warnings;
    bool http_01 = true;  // unless every selected section is known to be dns-01
    try {
        const auto all =
            load_certificate_sections(certificate_config_items(s, cl), parent_directory(s.config_file), &warnings);
        const auto selected = select_sections(all, cl.arguments);
        http_01 = selected.empty() || std::any_of(selected.begin(), selected.end(), [](const certificate_section* c) {
                      return c->challenge == challenge_type::http_01;
                  });
        for (const auto* section : selected) {
            const std::vector<std::string> found = check_section(*section);  // includes its config errors
            for (const auto& p : found)
                problems.push_back("[" + section->name + "] " + p);
            if (found.empty())
                log.verbose("[" + section->name + "] OK");
        }
    } catch (const error& e) {
        problems.emplace_back(e.what());
    }
    const std::vector<std::string> setting_problems = check_settings(s, http_01);
    problems.insert(problems.begin(), setting_problems.begin(), setting_problems.end());
    for (const auto& w : warnings)
        log.warning(w);
    for (const auto& p : problems)
        log.error(p);
    return problems.empty() && warnings.empty() ? exit_success : exit_failure;
}

}  // namespace lacme::master
