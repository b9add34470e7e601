// SPDX-License-Identifier: GPL-3.0-or-later
// lacme's command line (lacme(8)): global options, then COMMAND and its arguments. Options may
// appear anywhere before "--", as with Perl's Getopt::Long (gnu_getopt).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lacme::master {

enum class command_kind { account, new_order, revoke_cert, check, help, version };

struct command_line {
    command_kind command = command_kind::help;
    std::optional<std::string> config;
    std::optional<std::string> socket;
    bool quiet = false;
    bool debug = false;
    // account
    bool register_account = false;
    bool tos_agreed = false;
    bool deactivate = false;
    std::optional<std::string> eab_kid;  // ours: external account binding on --register
    std::optional<std::string> eab_hmac_key;  // its MAC key's file ("-": stdin), never the key
    std::optional<std::string> rollover;  // ours: lacme-accountd configuration of the new key
    // newOrder
    std::vector<std::string> config_certs;
    std::optional<int> min_days;  // --force makes it -1, whatever the order of the options
    bool json = false;  // ours
    unsigned max_concurrent = 8;  // ours: --jobs / --max-concurrent; 8: bench/many-sections, lacme(8)
    std::vector<std::string> arguments;  // CONTACTs, SECTIONs or FILEs
};

// Bad usage: main prints the message and lacme's "Try 'lacme --help'" hint, exit status 2.
class usage_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

command_line parse_command_line(const std::vector<std::string>& args);

std::string usage_text();

}  // namespace lacme::master
