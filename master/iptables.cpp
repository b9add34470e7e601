#include "master/iptables.hpp"

#include "common/child_process.hpp"
#include "common/error.hpp"

namespace lacme::master {
namespace {

bool is_any(const listen_address& a)
{
    return a.host == "0.0.0.0" || a.host == "::";
}

}  // namespace

std::vector<std::vector<std::string>> iptables_rules::rules_for(const listen_address& a)
{
    const std::string dest = a.host + "/" + (is_any(a) ? "0" : a.family() == AF_INET ? "32" : "128");
    const std::string port = std::to_string(a.port);
    return {
        {"INPUT", "-p", "tcp", "-m", "tcp", "-m", "state", "-d", dest, "--dport", port, "--state", "NEW,ESTABLISHED", "-j",
         "ACCEPT"},
        {"OUTPUT", "-p", "tcp", "-m", "tcp", "-m", "state", "-s", dest, "--sport", port, "--state", "ESTABLISHED", "-j",
         "ACCEPT"},
    };
}

iptables_rules::iptables_rules(const std::vector<listen_address>& addresses, logger& log, std::string bin_dir)
    : log_(log), bin_dir_(std::move(bin_dir))
{
    try {
        for (const auto& a : addresses) {
            if (a.family() != AF_INET && a.family() != AF_INET6)
                continue;
            const std::string program = a.family() == AF_INET ? "iptables" : "ip6tables";
            for (auto spec : rules_for(a)) {
                rule r{program, spec.front(), std::vector<std::string>(spec.begin() + 1, spec.end())};
                run(r, "-I");
                inserted_.push_back(std::move(r));
            }
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

void iptables_rules::remove_inserted() noexcept
{
    for (auto it = inserted_.rbegin(); it != inserted_.rend(); ++it) {
        try {
            run(*it, "-D");
        } catch (const error& e) {
            log_.info(std::string("Warning: couldn't remove iptables rule: ") + e.what());
        }
    }
    inserted_.clear();
}

void iptables_rules::run(const rule& r, const char* action) const
{
    std::vector<std::string> argv = {bin_dir_ + "/" + r.program, "-w", action, r.chain};
    argv.insert(argv.end(), r.spec.begin(), r.spec.end());
    log_.debug(std::string(action) + " " + r.chain + " rule with " + r.program);
    run_capturing_stdout(argv, 64 * 1024);
}

}  // namespace lacme::master
