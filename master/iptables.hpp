// `iptables = Yes`: temporary ACCEPT rules for the webserver's TCP listen addresses, inserted
// at the top of INPUT/OUTPUT (as lacme does) and removed again — exactly the rules inserted, one
// by one with -D, so rules others added meanwhile stay — when this goes away (every exit path
// of the master but SIGKILL). Works with the nft-backed iptables of Debian 12 (-w: wait for the lock).
#pragma once

#include "common/log.hpp"
#include "master/listen_address.hpp"

#include <string>
#include <vector>

namespace lacme::master {

class iptables_rules {
public:
    // bin_dir: where iptables and ip6tables live (tests point it at a stand-in).
    iptables_rules(const std::vector<listen_address>& addresses, logger& log, std::string bin_dir = "/usr/sbin");
    iptables_rules(const iptables_rules&) = delete;
    iptables_rules& operator=(const iptables_rules&) = delete;
    ~iptables_rules();

    // The rule specifications (without -I/-D CHAIN) lacme installs for these addresses.
    static std::vector<std::vector<std::string>> rules_for(const listen_address& a);

private:
    struct rule {
        std::string program;
        std::string chain;
        std::vector<std::string> spec;
    };
    void run(const rule& r, const char* action) const;
    void remove_inserted() noexcept;

    logger& log_;
    std::string bin_dir_;
    std::vector<rule> inserted_;
};

}  // namespace lacme::master
