#include "master/check_command.hpp"

#include "common/error.hpp"
#include "common/path.hpp"
#include "master/certificate_config.hpp"
#include "master/order_command.hpp"
#include "master/section_check.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace lacme::master {
namespace {

void check_role(const char* section, const child_role& role, bool check_command_path, std::vector<std::string>& problems)
{
    const std::string where = std::string("[") + section + "] ";
    if (!role.user.empty() && ::getpwnam(role.user.c_str()) == nullptr)
        problems.push_back(where + "user " + role.user + " does not exist");
    if (!role.group.empty() && ::getgrnam(role.group.c_str()) == nullptr)
        problems.push_back(where + "group " + role.group + " does not exist");
    // Commands looked up in PATH (ssh -T ...) or %-expanded later are checked when they run.
    const std::string& program = role.command.front();
    if (check_command_path && program.starts_with('/') && ::access(program.c_str(), X_OK) != 0)
        problems.push_back(where + "command " + program + " is not executable");
}

}  // namespace

std::vector<std::string> check_settings(const settings& s)
{
    std::vector<std::string> problems;
    check_role("client", s.client, true, problems);
    if (!s.webserver.challenge_directory)
        check_role("webserver", s.webserver.role, true, problems);
    else if (::access(s.webserver.challenge_directory->c_str(), W_OK | X_OK) != 0)
        problems.push_back("[webserver] challenge-directory " + *s.webserver.challenge_directory + " is not writable");
    if (s.accountd)
        check_role("accountd", s.accountd->role, s.accountd->role.command.front().find('%') == std::string::npos, problems);
    return problems;
}

int run_check_command(const settings& s, const command_line& cl, logger& log)
{
    std::vector<std::string> problems = check_settings(s);
    try {
        const auto all = load_certificate_sections(certificate_config_items(s, cl), parent_directory(s.config_file));
        for (const auto* section : select_sections(all, cl.arguments)) {
            const std::vector<std::string> found = check_section(*section);  // includes its config errors
            for (const auto& p : found)
                problems.push_back("[" + section->name + "] " + p);
            if (found.empty())
                log.verbose("[" + section->name + "] OK");
        }
    } catch (const error& e) {
        problems.emplace_back(e.what());
    }
    for (const auto& p : problems)
        log.info("Error: " + p);
    return problems.empty() ? 0 : 1;
}

}  // namespace lacme::master
