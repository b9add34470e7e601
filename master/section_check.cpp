// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/section_check.hpp"

#include "common/error.hpp"
#include "common/path.hpp"
#include "master/certificate_files.hpp"
#include "master/certificate_install.hpp"
#include "master/chain_verification.hpp"
#include "master/csr.hpp"
#include "master/dns_tsig_key.hpp"
#include "master/target_space.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

namespace lacme::master {
namespace {

void collect(std::vector<std::string>& problems, const std::function<void()>& check)
{
    try {
        check();
    } catch (const error& e) {
        problems.emplace_back(e.what());
    }
}

void check_key_and_request(const certificate_section& section)
{
    const auto key = load_service_key(section.certificate_key);
    build_csr(section);
    const std::string& installed = section.reference_certificate();
    struct stat st {};
    if (::stat(installed.c_str(), &st) == 0 && !certificate_matches_key(*read_certificate_file(installed), *key))
        throw error(installed + " is not a certificate for " + section.certificate_key);
}

void check_target_directory(const std::string& path)
{
    const std::string dir = parent_directory(path);
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0)
        throw_errno("target directory " + dir);
    if (!S_ISDIR(st.st_mode))
        throw error("target directory " + dir + ": not a directory");
    if (::faccessat(AT_FDCWD, dir.c_str(), W_OK | X_OK, AT_EACCESS) != 0)
        throw_errno("target directory " + dir + " is not writable");
}

}  // namespace

std::vector<std::string> check_section(const certificate_section& section)
{
    std::vector<std::string> problems = section.errors;
    if (!section.errors.empty())
        return problems;  // the other checks would repeat them
    collect(problems, [&] { check_key_and_request(section); });
    if (section.challenge == challenge_type::dns_01 && section.dns_update)
        collect(problems, [&] { (void)read_tsig_key(section.dns_update->tsig_key); });
    const auto more = installation_problems(section);
    problems.insert(problems.end(), more.begin(), more.end());
    return problems;
}

std::vector<std::string> installation_problems(const certificate_section& section)
{
    std::vector<std::string> problems;
    if (!section.ca_file.empty())
        collect(problems, [&] { load_trust_store(section.ca_file); });
    std::vector<std::string> targets;  // the writable ones: free space means nothing in the others
    for (const auto* path : {&section.certificate, &section.certificate_chain})
        if (!path->empty()) {
            const auto before = problems.size();
            collect(problems, [&] { check_target_directory(*path); });
            if (problems.size() == before)
                targets.push_back(*path);
        }
    const auto space = target_space_problems(targets);
    problems.insert(problems.end(), space.begin(), space.end());
    if (section.chown)
        collect(problems, [&] {
            try {
                resolve_owner(*section.chown);
            } catch (const error& e) {
                throw error(section.chown_origin.empty() ? std::string(e.what())
                                                         : section.chown_origin + ": " + e.what());
            }
        });
    return problems;
}

}  // namespace lacme::master
