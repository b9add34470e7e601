// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/settings.hpp"

#include "accountd/relay/relay_header.hpp"
#include "common/error.hpp"
#include "common/ini_config.hpp"
#include "common/parse_number.hpp"
#include "common/percent_expand.hpp"
#include "common/text.hpp"
#include "pkcs11/uri.hpp"

#include <getopt.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>

namespace lacme::accountd {
namespace {

enum option_id {
    opt_config = 256,
    opt_privkey,
    opt_socket,
    opt_stdio,
    opt_debug,
    opt_version,
    opt_pkcs11_module,
    opt_list_keys,
    opt_idle_timeout,
    opt_policy,
    opt_audit_log,
    opt_check_policy,
    opt_authorized_keys_line,
    opt_from,
    opt_provider,
    opt_pin_state_dir,
    opt_allow_final_pin_try,
    opt_no_sandbox,
    opt_sandbox_write_dir,
    opt_relay,
    opt_relay_socket,
};

// Seconds, at most a day: a longer wait is a mistake, not a setting.
std::chrono::seconds parse_seconds(std::string_view name, std::string_view text)
{
    const auto value = parse_number<long>(text, 0, 86400);
    if (!value)
        throw error("invalid value '" + std::string(text) + "' for " + std::string(name) + " (seconds, 0 to 86400)");
    return std::chrono::seconds(*value);
}

void set_if_unset(std::optional<std::string>& target, const std::optional<std::string>& value)
{
    if (!target && value)
        target = value;
}

// --authorized-keys-line takes --policy or --relay, maybe --from, and exactly one PUBKEY_FILE;
// nothing else takes a positional argument or --from.
void check_authorized_keys_line(settings& s, int rest_count, char** rest)
{
    if (!s.authorized_keys_line) {
        if (rest_count > 0)
            throw error(std::string("unexpected argument ") + rest[0]);
        if (s.from)
            throw error("--from only goes with --authorized-keys-line");
        return;
    }
    if (rest_count != 1)
        throw error("--authorized-keys-line takes one PUBKEY_FILE");
    if (!s.policy == !s.relay)
        throw error("--authorized-keys-line needs --policy=FILE or --relay=NAME");
    s.public_key_file = rest[0];
}

}  // namespace

std::string usage_text()
{
    return "Usage: lacme-accountd [--config=FILE] [--privkey=ARG] [--socket=PATH | --stdio] [--quiet] [--debug]\n"
           "       [--idle-timeout=SECONDS] [--policy=FILE] [--audit-log=FILE|syslog]\n"
           "       [--pin-state-dir=DIR] [--allow-final-pin-try] [--provider=NAME]...\n"
           "       [--sandbox-write-dir=DIR]... [--no-sandbox]\n"
           "       lacme-accountd --check-policy=FILE\n"
           "       lacme-accountd --list-keys [--pkcs11-module=PATH | --privkey=store:URI [--provider=NAME]...]\n"
           "       lacme-accountd --relay=NAME [--config=FILE] [--relay-socket=PATH]\n"
           "       lacme-accountd --authorized-keys-line --policy=FILE [--config=FILE] [--from=PATTERNS] PUBKEY_FILE\n"
           "       lacme-accountd --authorized-keys-line --relay=NAME [--config=FILE] [--from=PATTERNS] PUBKEY_FILE\n"
           "Consult the manpage for more information.\n";
}

settings parse_command_line(int argc, char** argv)
{
    static const option long_options[] = {
        {"config", required_argument, nullptr, opt_config},
        {"privkey", required_argument, nullptr, opt_privkey},
        {"socket", required_argument, nullptr, opt_socket},
        {"stdio", no_argument, nullptr, opt_stdio},
        {"quiet", no_argument, nullptr, 'q'},
        {"debug", no_argument, nullptr, opt_debug},
        {"help", no_argument, nullptr, 'h'},
        {"version", no_argument, nullptr, opt_version},
        {"pkcs11-module", required_argument, nullptr, opt_pkcs11_module},
        {"list-keys", no_argument, nullptr, opt_list_keys},
        {"idle-timeout", required_argument, nullptr, opt_idle_timeout},
        {"policy", required_argument, nullptr, opt_policy},
        {"audit-log", required_argument, nullptr, opt_audit_log},
        {"check-policy", required_argument, nullptr, opt_check_policy},
        {"authorized-keys-line", no_argument, nullptr, opt_authorized_keys_line},
        {"from", required_argument, nullptr, opt_from},
        {"provider", required_argument, nullptr, opt_provider},
        {"pin-state-dir", required_argument, nullptr, opt_pin_state_dir},
        {"allow-final-pin-try", no_argument, nullptr, opt_allow_final_pin_try},
        {"no-sandbox", no_argument, nullptr, opt_no_sandbox},
        {"sandbox-write-dir", required_argument, nullptr, opt_sandbox_write_dir},
        {"relay", required_argument, nullptr, opt_relay},
        {"relay-socket", required_argument, nullptr, opt_relay_socket},
        {nullptr, 0, nullptr, 0},
    };
    settings s;
    opterr = 0;  // we report errors ourselves, on one line
    // 0, not 1: glibc then also drops its position inside an earlier argv (a pointer into
    // memory that may be gone), so parsing twice in one process is safe.
    optind = 0;
    for (;;) {
        const int previous = optind == 0 ? 1 : optind;
        const int c = getopt_long(argc, argv, "+:qh", long_options, nullptr);
        if (c == -1)
            break;
        switch (c) {
        case opt_config: s.config = optarg; break;
        case opt_privkey:
            s.privkey.emplace(std::string_view(optarg));
            pkcs11::uri::mask_pin_values({optarg, std::strlen(optarg)});  // ps shows argv
            break;
        case opt_socket: s.socket = optarg; break;
        case opt_stdio: s.stdio = true; break;
        case 'q': s.quiet = true; break;
        case opt_debug: s.debug = true; break;
        case 'h': s.help = true; break;
        case opt_version: s.version = true; break;
        case opt_pkcs11_module: s.pkcs11_module = optarg; break;
        case opt_list_keys: s.list_keys = true; break;
        case opt_idle_timeout: s.idle_timeout = parse_seconds("--idle-timeout", optarg); break;
        case opt_policy: s.policy = optarg; break;
        case opt_audit_log: s.audit_log = optarg; break;
        case opt_check_policy: s.check_policy = optarg; break;
        case opt_authorized_keys_line: s.authorized_keys_line = true; break;
        case opt_from: s.from = optarg; break;
        case opt_provider: s.providers.emplace_back(optarg); break;
        case opt_pin_state_dir: s.pin_state_dir = optarg; break;
        case opt_allow_final_pin_try: s.allow_final_pin_try = true; break;
        case opt_no_sandbox: s.no_sandbox = true; break;
        case opt_sandbox_write_dir: s.sandbox_write_dirs.emplace_back(optarg); break;
        case opt_relay: s.relay = optarg; break;
        case opt_relay_socket: s.relay_socket = optarg; break;
        default: {
            const std::string arg = previous < argc ? argv[previous] : "";
            if (c == ':')
                throw error("option " + arg + " requires an argument");
            throw error("unknown option " + arg);
        }
        }
    }
    check_authorized_keys_line(s, argc - optind, argv + optind);
    if (s.stdio && s.socket)
        throw error("--stdio and --socket are mutually exclusive");
    if (s.relay && !s.authorized_keys_line) {
        if (!is_listener_name(*s.relay))
            throw error("invalid --relay name '" + *s.relay + "' (letters, digits, . _ -, at most 64)");
        if (s.stdio || s.socket || s.policy || s.list_keys || s.check_policy)
            throw error("--relay takes no --stdio, --socket, --policy, --list-keys or --check-policy");
    }
    return s;
}

namespace {

std::string config_file_path(const settings& s)
{
    return percent_expander::for_current_process().expand(s.config.value_or("%E/lacme/lacme-accountd.conf"));
}

constexpr std::string_view listener_section_prefix = "listener ";

// [listener NAME] sections, in the file's order: each needs a valid NAME and a policy.
std::vector<listener_settings> read_listeners(const ini_config& config)
{
    std::vector<std::pair<int, listener_settings>> found;
    for (const auto& [section_name, section] : config.sections()) {
        if (!section_name.starts_with(listener_section_prefix))
            continue;
        listener_settings l;
        l.name = section_name.substr(listener_section_prefix.size());
        l.origin = config.origin() + ":" + std::to_string(section.line);
        if (!is_listener_name(l.name))
            throw error(l.origin + ": invalid listener name '" + l.name + "' (letters, digits, . _ -, at most 64)");
        const auto policy = config.get(section_name, "policy");
        if (!policy || policy->empty())
            throw error(l.origin + ": [listener " + l.name + "] has no policy");
        l.policy = *policy;
        l.socket = config.get(section_name, "socket");
        found.emplace_back(section.line, std::move(l));
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<listener_settings> listeners;
    listeners.reserve(found.size());
    for (auto& [line, l] : found)
        listeners.push_back(std::move(l));
    return listeners;
}

}  // namespace

void merge_config_file(settings& s, bool& config_was_read)
{
    const std::string path = config_file_path(s);
    config_was_read = false;
    struct stat st {};
    if (!s.config && ::stat(path.c_str(), &st) != 0)
        return;  // the default file is optional, an explicit one is not
    const auto config = ini_config::read_file(path);
    ini_config::schema allowed{{"",
                                {"privkey", "gpg", "socket", "logfile", "keyid", "quiet", "passphrase-file",
                                 "pkcs11-module", "pin-file", "idle-timeout", "policy", "audit-log", "pin-state-dir",
                                 "allow-final-pin-try", "provider", "sandbox-write-dir", "relay-socket"}}};
    for (const auto& [name, section] : config.sections())
        if (name.starts_with(listener_section_prefix))
            allowed.emplace(name, std::set<std::string>{"policy", "socket"});
    config.check(allowed);
    s.listeners = read_listeners(config);
    if (auto privkey = config.get("", "privkey"); privkey && !s.privkey) {
        s.privkey.emplace(std::move(*privkey));
        s.privkey_origin = config.where("", "privkey");
    }
    set_if_unset(s.gpg, config.get("", "gpg"));
    set_if_unset(s.socket, config.get("", "socket"));
    set_if_unset(s.logfile, config.get("", "logfile"));
    set_if_unset(s.keyid, config.get("", "keyid"));
    set_if_unset(s.passphrase_file, config.get("", "passphrase-file"));
    set_if_unset(s.pkcs11_module, config.get("", "pkcs11-module"));
    set_if_unset(s.pin_file, config.get("", "pin-file"));
    set_if_unset(s.policy, config.get("", "policy"));
    set_if_unset(s.audit_log, config.get("", "audit-log"));
    set_if_unset(s.relay_socket, config.get("", "relay-socket"));
    if (const auto providers = config.get("", "provider"); providers && s.providers.empty())
        s.providers = split_on_blanks(*providers);
    set_if_unset(s.pin_state_dir, config.get("", "pin-state-dir"));
    if (const auto dirs = config.get("", "sandbox-write-dir"); dirs && s.sandbox_write_dirs.empty())
        s.sandbox_write_dirs = split_on_blanks(*dirs);
    if (const auto timeout = config.get("", "idle-timeout"); timeout && !s.idle_timeout)
        s.idle_timeout = parse_seconds("idle-timeout", *timeout);
    if (const auto quiet = config.get("", "quiet"); quiet && !s.quiet) {
        // As lacme 0.8's accountd: quiet only for "yes".
        std::optional<std::string> warning;
        s.quiet = lenient_yes_no(*quiet, false, warning);
        if (warning)
            s.warnings.push_back(config.where("", "quiet") + ": quiet: " + *warning);
    }
    if (const auto allow = config.get("", "allow-final-pin-try"); allow && !s.allow_final_pin_try) {
        try {
            s.allow_final_pin_try = parse_yes_no("allow-final-pin-try", *allow);
        } catch (const error& e) {
            throw error(config.where("", "allow-final-pin-try") + ": " + e.what());
        }
    }
    config_was_read = true;
}

const listener_settings& find_listener(const settings& s, std::string_view name)
{
    for (const auto& listener : s.listeners)
        if (listener.name == name)
            return listener;
    throw error("no [listener " + std::string(name) + "] in " + config_file_path(s));
}

void require_privkey(const settings& s, bool config_was_read)
{
    if (s.privkey)
        return;
    const std::string path = config_file_path(s);
    throw error(config_was_read ? "'privkey' is not specified in " + path + " (nor with --privkey)"
                                : "'privkey' is not specified: no --privkey, and no " + path);
}

}  // namespace lacme::accountd
