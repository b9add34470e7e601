#include "accountd/settings.hpp"

#include "common/error.hpp"
#include "common/ini_config.hpp"
#include "common/percent_expand.hpp"

#include <getopt.h>
#include <sys/stat.h>

#include <charconv>

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
    opt_pin_state_dir,
    opt_allow_final_pin_try,
};

// Seconds, at most a day: a longer wait is a mistake, not a setting.
std::chrono::seconds parse_seconds(std::string_view name, std::string_view text)
{
    unsigned long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 86400)
        throw error("invalid value '" + std::string(text) + "' for " + std::string(name) + " (seconds, 0 to 86400)");
    return std::chrono::seconds(value);
}

void set_if_unset(std::optional<std::string>& target, const std::optional<std::string>& value)
{
    if (!target && value)
        target = value;
}

}  // namespace

std::string usage_text()
{
    return "Usage: lacme-accountd [--config=FILE] [--privkey=ARG] [--socket=PATH | --stdio] [--quiet] [--debug]\n"
           "       [--idle-timeout=SECONDS] [--pin-state-dir=DIR] [--allow-final-pin-try]\n"
           "       lacme-accountd --list-keys [--pkcs11-module=PATH]\n"
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
        {"pin-state-dir", required_argument, nullptr, opt_pin_state_dir},
        {"allow-final-pin-try", no_argument, nullptr, opt_allow_final_pin_try},
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
        case opt_privkey: s.privkey = optarg; break;
        case opt_socket: s.socket = optarg; break;
        case opt_stdio: s.stdio = true; break;
        case 'q': s.quiet = true; break;
        case opt_debug: s.debug = true; break;
        case 'h': s.help = true; break;
        case opt_version: s.version = true; break;
        case opt_pkcs11_module: s.pkcs11_module = optarg; break;
        case opt_list_keys: s.list_keys = true; break;
        case opt_idle_timeout: s.idle_timeout = parse_seconds("--idle-timeout", optarg); break;
        case opt_pin_state_dir: s.pin_state_dir = optarg; break;
        case opt_allow_final_pin_try: s.allow_final_pin_try = true; break;
        default: {
            const std::string arg = previous < argc ? argv[previous] : "";
            if (c == ':')
                throw error("option " + arg + " requires an argument");
            throw error("unknown option " + arg);
        }
        }
    }
    if (optind < argc)
        throw error(std::string("unexpected argument ") + argv[optind]);
    if (s.stdio && s.socket)
        throw error("--stdio and --socket are mutually exclusive");
    return s;
}

void merge_config_file(settings& s, bool& config_was_read)
{
    const auto expander = percent_expander::for_current_process();
    const std::string path = expander.expand(s.config.value_or("%E/lacme/lacme-accountd.conf"));
    config_was_read = false;
    struct stat st {};
    if (!s.config && ::stat(path.c_str(), &st) != 0)
        return;  // the default file is optional, an explicit one is not
    const auto config = ini_config::read_file(path);
    config.check({{"",
                   {"privkey", "gpg", "socket", "logfile", "keyid", "quiet", "passphrase-file", "pkcs11-module",
                    "pin-file", "idle-timeout", "pin-state-dir", "allow-final-pin-try"}}});
    set_if_unset(s.privkey, config.get("", "privkey"));
    set_if_unset(s.gpg, config.get("", "gpg"));
    set_if_unset(s.socket, config.get("", "socket"));
    set_if_unset(s.logfile, config.get("", "logfile"));
    set_if_unset(s.keyid, config.get("", "keyid"));
    set_if_unset(s.passphrase_file, config.get("", "passphrase-file"));
    set_if_unset(s.pkcs11_module, config.get("", "pkcs11-module"));
    set_if_unset(s.pin_file, config.get("", "pin-file"));
    set_if_unset(s.pin_state_dir, config.get("", "pin-state-dir"));
    if (const auto timeout = config.get("", "idle-timeout"); timeout && !s.idle_timeout)
        s.idle_timeout = parse_seconds("idle-timeout", *timeout);
    if (const auto quiet = config.get("", "quiet"); quiet && !s.quiet)
        s.quiet = parse_yes_no("quiet", *quiet);
    if (const auto allow = config.get("", "allow-final-pin-try"); allow && !s.allow_final_pin_try)
        s.allow_final_pin_try = parse_yes_no("allow-final-pin-try", *allow);
    config_was_read = true;
}

}  // namespace lacme::accountd
