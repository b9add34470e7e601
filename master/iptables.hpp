// SPDX-License-Identifier: GPL-3.0-or-later
// `iptables = Yes`: temporary ACCEPT rules for the webserver's TCP listen addresses (and the
// IPv4 side of dual-stack IPv6 sockets), inserted at the top of INPUT/OUTPUT as lacme does and
// removed again — exactly the rules inserted, one by one with -D, so rules others added
// meanwhile stay — when this goes away. Works with the nft-backed iptables of Debian 12 (-w: wait
// for the lock).
//
// SIGKILL skips the removal, so the rules are first recorded in a state file
// (STATE_DIR/iptables.rules, written atomically) and the next run removes those a dead run left.
// STATE_DIR/iptables.lock is held meanwhile: one run at a time manages the rules.
#pragma once

#include "common/log.hpp"
#include "common/unique_fd.hpp"
#include "master/listen_address.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lacme::master {

class iptables_rules {
public:
    // state_dir is created (mode 0700) if missing. iptables and ip6tables are looked up in
    // bin_dir if given, else in PATH, then /usr/sbin and /sbin. Throws lacme::error.
    iptables_rules(const std::vector<listen_address>& addresses, logger& log, const std::string& state_dir,
                   std::optional<std::string> bin_dir = std::nullopt);
    iptables_rules(const iptables_rules&) = delete;
    iptables_rules& operator=(const iptables_rules&) = delete;
    ~iptables_rules();

    // The rule specifications (without -I/-D CHAIN) lacme installs for these addresses.
    static std::vector<std::vector<std::string>> rules_for(const listen_address& a);

    struct rule {
        std::string program;  // iptables or ip6tables
        std::string chain;
        std::vector<std::string> spec;
    };

private:
    void run(const rule& r, const char* action) const;
    void remove_left_over();
    void remove_inserted() noexcept;

    logger& log_;
    std::optional<std::string> bin_dir_;
    std::string state_file_;
    unique_fd lock_;
    std::vector<rule> inserted_;
};

// Where the master keeps state across runs: $RUNTIME_DIRECTORY (systemd's RuntimeDirectory=,
// its first entry) or /run/lacme.
std::string runtime_directory();

}  // namespace lacme::master
