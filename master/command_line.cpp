// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/command_line.hpp"

#include "common/parse_number.hpp"

#include <map>
#include <string_view>

namespace lacme::master {
namespace {

std::optional<command_kind> command_named(std::string_view name)
{
    static const std::map<std::string_view, command_kind> commands = {
        {"account", command_kind::account},
        {"newOrder", command_kind::new_order},
        {"new-order", command_kind::new_order},
        {"new-cert", command_kind::new_order},
        {"revokeCert", command_kind::revoke_cert},
        {"revoke-cert", command_kind::revoke_cert},
        {"check", command_kind::check},
    };
    const auto it = commands.find(name);
    return it == commands.end() ? std::nullopt : std::optional(it->second);
}

long parse_integer(std::string_view option, std::string_view text, long low, long high)
{
    const auto value = parse_number(text, low, high);
    if (!value)
        throw usage_error("Value \"" + std::string(text) + "\" invalid for option " + std::string(option));
    return *value;
}

// Walks the arguments, handing out option values from "--opt=value" or the next argument.
class option_reader {
public:
    explicit option_reader(const std::vector<std::string>& args) : args_(args) {}

    [[nodiscard]] bool done() const { return next_ >= args_.size(); }
    std::string_view take() { return args_[next_++]; }

    std::string value_for(std::string_view option, std::optional<std::string_view> inline_value)
    {
        if (inline_value)
            return std::string(*inline_value);
        if (done())
            throw usage_error("Option " + std::string(option) + " requires an argument");
        return std::string(take());
    }

private:
    const std::vector<std::string>& args_;
    std::size_t next_ = 0;
};

// Flags that decide something only once every option is read.
struct deferred_flags {
    bool help = false;
    bool version = false;
    bool force = false;  // wins over --min-days wherever it is (lacme 0.8)
};

void apply_option(command_line& cl, option_reader& reader, std::string_view arg, deferred_flags& deferred)
{
    std::string_view name = arg;
    std::optional<std::string_view> inline_value;
    if (const auto eq = arg.find('='); eq != std::string_view::npos) {
        name = arg.substr(0, eq);
        inline_value = arg.substr(eq + 1);
    }
    const auto flag = [&](bool& target) {
        if (inline_value)
            throw usage_error("Option " + std::string(name) + " does not take an argument");
        target = true;
    };
    if (name == "--config")
        cl.config = reader.value_for(name, inline_value);
    else if (name == "--socket")
        cl.socket = reader.value_for(name, inline_value);
    else if (name == "--config-certs")
        cl.config_certs.push_back(reader.value_for(name, inline_value));
    else if (name == "--min-days")
        cl.min_days = static_cast<int>(parse_integer(name, reader.value_for(name, inline_value), -1000000, 1000000));
    else if (name == "--jobs" || name == "--max-concurrent")
        cl.max_concurrent = static_cast<unsigned>(parse_integer(name, reader.value_for(name, inline_value), 1, 64));
    else if (name == "--force")
        flag(deferred.force);
    else if (name == "--quiet" || name == "-q")
        flag(cl.quiet);
    else if (name == "--debug")
        flag(cl.debug);
    else if (name == "--register")
        flag(cl.register_account);
    else if (name == "--tos-agreed")
        flag(cl.tos_agreed);
    else if (name == "--deactivate")
        flag(cl.deactivate);
    else if (name == "--eab-kid")
        cl.eab_kid = reader.value_for(name, inline_value);
    else if (name == "--eab-hmac-key")
        cl.eab_hmac_key = reader.value_for(name, inline_value);
    else if (name == "--rollover")
        cl.rollover = reader.value_for(name, inline_value);
    else if (name == "--json")
        flag(cl.json);
    else if (name == "--help" || name == "-h")
        flag(deferred.help);
    else if (name == "--version")
        flag(deferred.version);
    else
        throw usage_error("Unknown option: " + std::string(arg.substr(0, 60)));
}

// EAB binds a new account: both halves, and only with --register. A rollover needs the account
// to keep its key until the CA has switched it, so it is not combined with deactivation.
void check_account_options(const command_line& cl)
{
    if (cl.eab_kid.has_value() != cl.eab_hmac_key.has_value())
        throw usage_error("--eab-kid and --eab-hmac-key go together");
    const bool account_only = cl.eab_kid || cl.rollover;
    if (account_only && cl.command != command_kind::account)
        throw usage_error(std::string(cl.eab_kid ? "--eab-kid" : "--rollover") +
                          " is an option of the account command");
    if (cl.eab_kid && !cl.register_account)
        throw usage_error("--eab-kid binds a new account: add --register");
    if (cl.rollover && cl.deactivate)
        throw usage_error("--rollover and --deactivate are separate operations");
}

}  // namespace

command_line parse_command_line(const std::vector<std::string>& args)
{
    command_line cl;
    deferred_flags deferred;
    std::vector<std::string> positional;
    option_reader reader(args);
    bool options_ended = false;
    while (!reader.done()) {
        const std::string_view arg = reader.take();
        if (!options_ended && arg == "--")
            options_ended = true;
        else if (!options_ended && arg.size() > 1 && arg.front() == '-')
            apply_option(cl, reader, arg, deferred);
        else
            positional.emplace_back(arg);
    }
    if (deferred.help || deferred.version) {
        cl.command = deferred.help ? command_kind::help : command_kind::version;
        return cl;
    }
    if (deferred.force)
        cl.min_days = -1;
    if (positional.empty())
        throw usage_error("Missing command");
    const auto command = command_named(positional.front());
    if (!command)
        throw usage_error("Invalid command: " + positional.front().substr(0, 60));
    cl.command = *command;
    cl.arguments.assign(positional.begin() + 1, positional.end());
    if (cl.debug)
        cl.quiet = false;
    if (cl.command == command_kind::revoke_cert && cl.arguments.empty())
        throw usage_error("Nothing to revoke");
    check_account_options(cl);
    return cl;
}

std::string usage_text()
{
    return "Usage: lacme [--config=FILE] [--socket=PATH] [OPTIONS] COMMAND [ARGUMENT ..]\n"
           "Commands: account [--register] [--tos-agreed] [--deactivate] [CONTACT ..]\n"
           "          account --register [--eab-kid=KID --eab-hmac-key=FILE|-] [CONTACT ..]\n"
           "          account --rollover=ACCOUNTD-CONFIG\n"
           "          newOrder [--config-certs=FILE] [--min-days=N|--force] [--json] [--jobs=N] [SECTION ..]\n"
           "          revokeCert FILE [FILE ..]\n"
           "          check [--config-certs=FILE] [SECTION ..]\n"
           "Options: -q|--quiet, --debug, -h|--help, --version\n"
           "Consult the manpage for more information.\n";
}

}  // namespace lacme::master
