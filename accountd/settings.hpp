// SPDX-License-Identifier: GPL-3.0-or-later
// lacme-accountd's settings: command line (as lacme-accountd 0.8) merged over the config file.
#pragma once

#include "common/secret.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::accountd {

// A [listener NAME] section of lacme-accountd.conf: one caller (a web host) of a daemon that
// serves many, with its policy, reached on its own socket and/or through the relay socket.
struct listener_settings {
    std::string name;
    std::string policy;  // before %-expansion
    std::optional<std::string> socket;  // before %-expansion; none: through the relay only
    std::string origin;  // "FILE:LINE" of its section header, for errors
};

struct settings {
    std::optional<std::string> config;  // --config
    std::optional<secret_string> privkey;  // file:PATH, gpg:PATH, pkcs11:URI or store:URI (may hold a pin-value)
    std::optional<std::string> socket;  // --socket / socket
    std::optional<std::string> gpg;  // gpg command line for gpg: keys
    std::optional<std::string> logfile;
    std::optional<std::string> keyid;
    std::optional<std::string> passphrase_file;  // ours: passphrase of an encrypted PEM key
    std::optional<std::string> pkcs11_module;  // ours: PKCS#11 module for pkcs11: URIs
    std::optional<std::string> pin_file;  // ours: token PIN
    std::vector<std::string> providers;  // ours: OpenSSL providers for store: keys
    std::optional<std::string> pin_state_dir;  // ours: PINs tokens rejected, across runs
    std::vector<std::string> sandbox_write_dirs;  // ours: where the key backend writes after start
    std::optional<std::chrono::seconds> idle_timeout;  // ours: 0 = none
    std::optional<std::string> policy;  // ours: signing policy file (policy_file.hpp)
    std::optional<std::string> audit_log;  // ours: audit log file, or "syslog"
    std::optional<std::string> check_policy;  // ours: validate this policy file and exit
    std::optional<std::string> from;  // ours: --authorized-keys-line's from= patterns
    std::optional<std::string> public_key_file;  // ours: --authorized-keys-line's PUBKEY_FILE
    std::vector<listener_settings> listeners;  // ours: [listener NAME] sections
    std::optional<std::string> relay_socket;  // ours: --relay-socket / relay-socket
    std::optional<std::string> relay;  // ours: --relay=NAME, the forced command of a web host
    bool stdio = false;
    bool quiet = false;
    // "FILE:LINE: ..." for what lacme 0.8's accountd accepts and ours reads as it does (a quiet
    // neither Yes nor No), shown as warnings.
    std::vector<std::string> warnings;
    std::string privkey_origin = "--privkey";  // or "FILE:LINE" of privkey, for its errors
    bool debug = false;
    bool help = false;
    bool version = false;
    bool list_keys = false;  // ours: list PKCS#11 (or store:) keys and exit
    bool authorized_keys_line = false;  // ours: print the ssh/ forced-command line and exit
    bool allow_final_pin_try = false;  // ours: log in on CKF_USER_PIN_FINAL_TRY
    bool no_sandbox = false;  // ours: debugging only (accountd/sandbox_policy.hpp)
};

// Parses argv (GNU getopt rules: --opt=value, --opt value, -q, -h). Throws lacme::error with a
// one-line message for unknown options or missing arguments.
settings parse_command_line(int argc, char** argv);

// Reads the config file (explicit --config, or the default %E/lacme/lacme-accountd.conf when it
// exists) and fills whatever the command line left unset. Throws lacme::error naming file:line.
void merge_config_file(settings& s, bool& config_was_read);

// The [listener NAME] named; throws lacme::error naming the config file when there is none.
const listener_settings& find_listener(const settings& s, std::string_view name);

// Throws lacme::error unless a key is set; the message names the config file merge_config_file
// read or looked for (a non-root accountd's default is its own ~/.config, easily not the one meant).
void require_privkey(const settings& s, bool config_was_read);

std::string usage_text();

// A peer that makes no progress for this long is disconnected (--idle-timeout, idle-timeout).
inline constexpr std::chrono::seconds default_idle_timeout{300};

// Where rejected token PINs are remembered (--pin-state-dir, pin-state-dir), before %-expansion.
inline constexpr std::string_view default_pin_state_dir = "%C/lacme-accountd";

}  // namespace lacme::accountd
