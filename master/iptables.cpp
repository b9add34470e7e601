// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/iptables.hpp"

#include "common/atomic_file.hpp"
#include "common/child_process.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace lacme::master {
namespace {

constexpr std::size_t max_state_size = std::size_t{256} * 1024;

bool is_any(const listen_address& a)
{
    return a.host == "0.0.0.0" || a.host == "::";
}

bool is_executable_file(const std::string& path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// PATH first (a cron job's PATH may lack /usr/sbin, hence the fallbacks).
std::string find_program(const std::string& name)
{
    const char* path = std::getenv("PATH");
    std::string dirs = std::string(path ? path : "") + ":/usr/sbin:/sbin";
    for (std::size_t start = 0; start <= dirs.size();) {
        const std::size_t end = std::min(dirs.find(':', start), dirs.size());
        const std::string dir = dirs.substr(start, end - start);
        if (dir.starts_with('/') && is_executable_file(dir + "/" + name))
            return dir + "/" + name;
        start = end + 1;
    }
    throw error(name + " not found in PATH, /usr/sbin or /sbin");
}

unique_fd lock_state(const std::string& state_dir)
{
    if (::mkdir(state_dir.c_str(), 0700) != 0 && errno != EEXIST)
        throw_errno("mkdir " + state_dir);
    const std::string path = state_dir + "/iptables.lock";
    unique_fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd)
        throw_errno("can't open " + path);
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0)
        throw_errno("another lacme run manages the iptables rules (" + path + ")");
    return fd;
}

nlohmann::json to_json(const std::vector<iptables_rules::rule>& rules)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rules)
        out.push_back({{"program", r.program}, {"chain", r.chain}, {"spec", r.spec}});
    return out;
}

// The rules of a state file; only the programs and chains this file inserts are accepted.
std::vector<iptables_rules::rule> from_json(const nlohmann::json& in, const std::string& path)
{
    std::vector<iptables_rules::rule> rules;
    try {
        for (const auto& r : in) {
            iptables_rules::rule parsed{r.at("program"), r.at("chain"), r.at("spec")};
            if ((parsed.program != "iptables" && parsed.program != "ip6tables") ||
                (parsed.chain != "INPUT" && parsed.chain != "OUTPUT"))
                throw error("unexpected rule");
            rules.push_back(std::move(parsed));
        }
    } catch (const std::exception&) {
        throw error(path + ": not an iptables state file");
    }
    return rules;
}

}  // namespace

std::string runtime_directory()
{
    const char* dir = std::getenv("RUNTIME_DIRECTORY");
    if (dir == nullptr || *dir != '/')
        return "/run/lacme";
    const std::string dirs(dir);
    return dirs.substr(0, dirs.find(':'));
}

std::vector<std::vector<std::string>> iptables_rules::rules_for(const listen_address& a)
{
    const std::string dest = a.host + "/" + (is_any(a) ? "0" : a.family() == AF_INET ? "32" : "128");
    const std::string port = std::to_string(a.port);
    return {
        {"INPUT", "-p", "tcp", "-m", "tcp", "-m", "state", "-d", dest, "--dport", port, "--state", "NEW,ESTABLISHED",
         "-j", "ACCEPT"},
        {"OUTPUT", "-p", "tcp", "-m", "tcp", "-m", "state", "-s", dest, "--sport", port, "--state", "ESTABLISHED", "-j",
         "ACCEPT"},
    };
}

iptables_rules::iptables_rules(const std::vector<listen_address>& addresses, logger& log, const std::string& state_dir,
                               std::optional<std::string> bin_dir)
    : log_(log), bin_dir_(std::move(bin_dir)), state_file_(state_dir + "/iptables.rules"), lock_(lock_state(state_dir))
{
    remove_left_over();
    std::vector<rule> planned;
    for (const auto& a : addresses) {
        if (a.family() != AF_INET && a.family() != AF_INET6)
            continue;
        for (auto spec : rules_for(a))
            planned.push_back({a.family() == AF_INET ? "iptables" : "ip6tables", spec.front(),
                               std::vector<std::string>(spec.begin() + 1, spec.end())});
    }
    // Recorded before the first insert: a kill at any instant leaves no rule unrecorded.
    write_file_atomically(state_file_, to_json(planned).dump() + "\n", 0600);
    try {
        for (auto& r : planned) {
            run(r, "-I");
            inserted_.push_back(std::move(r));
        }
    } catch (const error&) {
        remove_inserted();  // no destructor runs for a constructor that throws
        throw;
    }
}

iptables_rules::~iptables_rules()
{
    remove_inserted();
}

void iptables_rules::remove_left_over()
{
    const auto text = read_file_if_present(state_file_, max_state_size);
    if (!text)
        return;
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    const auto rules = from_json(json.is_array() ? json : nlohmann::json(), state_file_);
    log_.verbose("Removing " + std::to_string(rules.size()) + " iptables rule(s) left by an interrupted run");
    for (auto it = rules.rbegin(); it != rules.rend(); ++it) {
        try {
            run(*it, "-D");
        } catch (const error& e) {
            log_.debug(std::string("(not present) ") + e.what());  // the run died before inserting it
        }
    }
    if (::unlink(state_file_.c_str()) != 0)
        throw_errno("unlink " + state_file_);
}

void iptables_rules::remove_inserted() noexcept
{
    bool all_removed = true;
    for (auto it = inserted_.rbegin(); it != inserted_.rend(); ++it) {
        try {
            run(*it, "-D");
        } catch (const error& e) {
            all_removed = false;
            log_.warning(std::string("couldn't remove iptables rule: ") + e.what());
        }
    }
    inserted_.clear();
    // Kept when a removal failed, so the next run tries again.
    if (all_removed)
        ::unlink(state_file_.c_str());
}

void iptables_rules::run(const rule& r, const char* action) const
{
    const std::string program = bin_dir_ ? *bin_dir_ + "/" + r.program : find_program(r.program);
    std::vector<std::string> argv = {program, "-w", action, r.chain};
    argv.insert(argv.end(), r.spec.begin(), r.spec.end());
    log_.debug(std::string(action) + " " + r.chain + " rule with " + program);
    run_capturing_stdout(argv, std::size_t{64} * 1024);
}

}  // namespace lacme::master
