// SPDX-License-Identifier: GPL-3.0-or-later
// lacme.conf (lacme(8) "configuration file"): the default section's config-certs and the
// [client], [webserver] and [accountd] sections, with the manual's defaults.
#pragma once

#include "master/command_line.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace lacme::master {

// Who a child runs as and what it executes (command split on whitespace).
struct child_role {
    std::string user;
    std::string group;
    std::vector<std::string> command;
    std::string user_origin;  // "FILE:LINE" of the setting, or "FILE" for the default
    std::string group_origin;
    std::string command_origin;
};

struct webserver_settings {
    std::vector<std::string> listen;  // addresses, unparsed
    std::string listen_origin;  // "FILE:LINE" of listen, or "FILE"
    std::optional<std::string> challenge_directory;  // %-expanded
    child_role role;
    bool iptables = false;
};

struct accountd_settings {
    child_role role;  // command items are %-expanded by the child, after its privilege drop
    std::string config;
    std::string privkey;  // deprecated in lacme 0.8, still passed on as --privkey
    bool quiet = true;
};

// How long the master waits for each answer of lacme-accountd (its greeting, each signature)
// unless [client] accountd-timeout says otherwise: a daemon's socket answers in milliseconds; a
// spawned accountd may first have to log in over SSH and ask for a PIN or passphrase, and a
// token may wait for a touch.
inline constexpr std::chrono::seconds socket_accountd_timeout{30};
inline constexpr std::chrono::seconds spawned_accountd_timeout{120};

struct settings {
    std::string config_file;  // %-expanded path of lacme.conf
    std::vector<std::string> config_certs;  // items as written (not yet %-expanded)
    child_role client;
    nlohmann::json client_config;  // the [client] section as the client reads it on CONFIG_FD
    std::string socket;  // accountd socket as written (used when accountd is absent)
    webserver_settings webserver;
    std::optional<accountd_settings> accountd;  // absent with --socket or no [accountd] section
    std::chrono::seconds accountd_timeout{};
    // "FILE:LINE: ..." for what lacme 0.8 accepts and ours reads as it does, but would refuse if
    // it were new (unknown keys in the default section, booleans neither Yes nor No): shown as
    // warnings, and `lacme check` counts them as problems.
    std::vector<std::string> warnings;
};

// Throws lacme::error naming the file (and line) for unreadable files, unknown sections or keys
// in [client], [webserver], [accountd], unusable values.
settings load_settings(const command_line& cl);

// The accountd socket, %-expanded now: only a run that connects to it needs it to expand (the
// default %t/S.lacme has no value for a user without XDG_RUNTIME_DIR, e.g. under cron).
std::string accountd_socket_path(const settings& s);

// newOrder needs a way to answer challenges: listen addresses or a challenge-directory. Throws
// lacme::error naming listen's FILE:LINE when there is neither (lacme 0.8 finds out only there,
// so `account` and `revokeCert` work without).
void require_challenge_responder(const webserver_settings& webserver);

}  // namespace lacme::master
