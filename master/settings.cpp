// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/settings.hpp"

#include "common/error.hpp"
#include "common/ini_config.hpp"
#include "common/parse_number.hpp"
#include "common/percent_expand.hpp"
#include "common/text.hpp"
#include "master/client_run.hpp"

#include <map>
#include <set>

namespace lacme::master {
namespace {

using defaults = std::map<std::string, std::optional<std::string>, std::less<>>;

// Built on first use: an allocation failure reaches the caller, not std::terminate before main.
const defaults& client_defaults()
{
    static const defaults d = {
        {"socket", "%t/S.lacme"},
        {"user", "_lacme-client"},
        {"group", "nogroup"},
        {"command", "/usr/libexec/lacme/client"},
        {"server", std::nullopt},
        {"timeout", std::nullopt},
        {"SSL_verify", std::nullopt},
        {"SSL_version", std::nullopt},
        {"SSL_cipher_list", std::nullopt},
        {"SSL_CAfile", std::nullopt},  // ours: CA bundle for the ACME server's TLS
        {"accountd-timeout", std::nullopt},  // ours: the master's wait for each answer of accountd
    };
    return d;
}
const defaults& webserver_defaults()
{
    static const defaults d = {
        {"listen", "/run/lacme-www.socket"},
        {"challenge-directory", std::nullopt},
        {"user", "_lacme-www"},
        {"group", "nogroup"},
        {"command", "/usr/libexec/lacme/webserver"},
        {"iptables", "No"},
    };
    return d;
}
const defaults& accountd_defaults()
{
    static const defaults d = {
        {"user", ""},   {"group", ""},   {"command", "/usr/bin/lacme-accountd"},
        {"config", ""}, {"privkey", ""}, {"quiet", "Yes"},
    };
    return d;
}

std::set<std::string> keys_of(const defaults& d)
{
    std::set<std::string> keys;
    for (const auto& [key, value] : d)
        keys.insert(key);
    return keys;
}

// The section's values with the defaults filled in (nullopt: unset, no default).
defaults section_values(const ini_config& ini, std::string_view section, const defaults& d)
{
    defaults values;
    for (const auto& [key, fallback] : d) {
        auto v = ini.get(section, key);
        values[key] = v ? v : fallback;
    }
    return values;
}

child_role role_from(const ini_config& ini, const defaults& values, std::string_view section)
{
    child_role role{*values.at("user"),         *values.at("group"),         split_on_blanks(*values.at("command")),
                    ini.where(section, "user"), ini.where(section, "group"), ini.where(section, "command")};
    if (role.command.empty())
        throw error(role.command_origin + ": empty command in section [" + std::string(section) + "]");
    return role;
}

// lacme 0.8 reads only config-certs from the default section and ignores every other key there.
ini_config::schema schema_of(const ini_config& ini, std::vector<std::string>& warnings)
{
    std::set<std::string> default_keys;
    for (const auto& [key, value] : ini.sections().at("").values) {
        default_keys.insert(key);
        if (key != "config-certs")
            warnings.push_back(ini.origin() + ":" + std::to_string(value.line) + ": unknown key '" + key +
                               "' in the default section: ignored, as lacme 0.8 does");
    }
    return {{"", default_keys},
            {"client", keys_of(client_defaults())},
            {"webserver", keys_of(webserver_defaults())},
            {"accountd", keys_of(accountd_defaults())}};
}

// A boolean read as lacme 0.8 does (see lenient_yes_no), with a warning naming its line.
bool boolean_setting(const ini_config& ini, std::string_view section, std::string_view key, const std::string& text,
                     bool otherwise, std::vector<std::string>& warnings)
{
    std::optional<std::string> warning;
    const bool value = lenient_yes_no(text, otherwise, warning);
    if (warning)
        warnings.push_back(ini.where(section, key) + ": [" + std::string(section) + "] " + std::string(key) + ": " +
                           *warning);
    return value;
}

std::vector<std::string> split_listen(std::string_view text)
{
    std::vector<std::string> items;
    std::string current;
    for (const char c : text) {
        if (c == ',' || c == ' ' || c == '\t' || c == '\n') {
            if (!current.empty())
                items.push_back(std::move(current));
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty())
        items.push_back(std::move(current));
    return items;
}

// At most the client's own bound: a longer wait would never end.
std::chrono::seconds parse_accountd_timeout(const std::string& text)
{
    constexpr auto max_seconds = client_run::deadline.count();
    const auto seconds = parse_number<std::chrono::seconds::rep>(text, 1, max_seconds);
    if (!seconds)
        throw error("invalid accountd-timeout '" + text + "' in section [client] (seconds, 1 to " +
                    std::to_string(max_seconds) + ")");
    return std::chrono::seconds(*seconds);
}

std::string read_config_path(const command_line& cl, const percent_expander& expander)
{
    return expander.expand(cl.config.value_or("%E/lacme/lacme.conf"));
}

}  // namespace

std::string accountd_socket_path(const settings& s)
{
    return percent_expander::for_current_process().expand(s.socket);
}

settings load_settings(const command_line& cl)
{
    const auto expander = percent_expander::for_current_process();
    settings s;
    s.config_file = read_config_path(cl, expander);
    const ini_config ini = ini_config::read_file(s.config_file);
    ini.check(schema_of(ini, s.warnings));

    if (const auto certs = ini.get("", "config-certs"))
        s.config_certs = split_on_blanks(*certs);

    defaults client = section_values(ini, "client", client_defaults());
    s.client = role_from(ini, client, "client");
    if (const auto& verify = client.at("SSL_verify"))
        client["SSL_verify"] = boolean_setting(ini, "client", "SSL_verify", *verify, true, s.warnings) ? "Yes" : "No";
    s.client_config = nlohmann::json::object();
    for (const auto& [key, value] : client)
        s.client_config[key] = value ? nlohmann::json(*value) : nlohmann::json(nullptr);
    s.socket = cl.socket.value_or(*client.at("socket"));

    const defaults web = section_values(ini, "webserver", webserver_defaults());
    s.webserver.listen = split_listen(*web.at("listen"));
    s.webserver.listen_origin = ini.where("webserver", "listen");
    if (const auto& dir = web.at("challenge-directory"))
        s.webserver.challenge_directory = expander.expand(*dir);
    s.webserver.role = role_from(ini, web, "webserver");
    s.webserver.iptables = boolean_setting(ini, "webserver", "iptables", *web.at("iptables"), false, s.warnings);

    if (ini.has_section("accountd") && !cl.socket) {
        const defaults accountd = section_values(ini, "accountd", accountd_defaults());
        s.accountd =
            accountd_settings{role_from(ini, accountd, "accountd"), *accountd.at("config"), *accountd.at("privkey"),
                              boolean_setting(ini, "accountd", "quiet", *accountd.at("quiet"), true, s.warnings)};
    }
    const auto& timeout = client.at("accountd-timeout");
    s.accountd_timeout = timeout      ? parse_accountd_timeout(*timeout)
                         : s.accountd ? spawned_accountd_timeout
                                      : socket_accountd_timeout;
    return s;
}

void require_challenge_responder(const webserver_settings& webserver)
{
    if (!webserver.challenge_directory && webserver.listen.empty())
        throw error(webserver.listen_origin +
                    ": 'challenge-directory' option is required in section [webserver] when 'listen' is empty");
}

}  // namespace lacme::master
