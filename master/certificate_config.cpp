// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/certificate_config.hpp"

#include "common/error.hpp"
#include "common/openssl_error.hpp"
#include "common/ini_config.hpp"
#include "common/parse_number.hpp"
#include "common/text.hpp"
#include "master/subject_name.hpp"

#include <arpa/inet.h>
#include <sys/stat.h>

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <set>

namespace lacme::master {
namespace {

struct located_value {
    std::string text;
    std::string where;  // "FILE:LINE"
};
using raw_section = std::map<std::string, located_value, std::less<>>;

constexpr std::array known_keys = {
    "CAfile",
    "certificate",
    "certificate-chain",
    "certificate-key",
    "challenge",
    "chmod",
    "chown",
    "dns-hook",
    "dns-hook-timeout",
    "dns-propagation-servers",
    "dns-propagation-timeout",
    "dns-tsig-key",
    "dns-update-server",
    "dns-zone",
    "hash",
    "keyUsage",
    "min-days",
    "mode",
    "notify",
    "owner",
    "preferred-chain",
    "subject",
    "subjectAltName",
    "tlsfeature",
};
// A day: propagation that takes longer is a broken setup, and the client's own run limit is lower.
constexpr long long max_propagation_timeout = 86400;
// An hour: one API call or nsupdate that takes longer is stuck; every hook run waits this long at most.
constexpr long long max_hook_timeout = 3600;
// lacme passes `hash` to `openssl req` only when it is one of these.
constexpr std::array known_hashes = {"md5", "rmd160", "sha1", "sha224", "sha256", "sha384", "sha512"};

// lacme's $RE_DOMAIN: at least two labels of [0-9a-z-], not starting or ending with '-'.
bool is_domain_name(std::string_view name)
{
    int labels = 0;
    while (true) {
        const std::string_view label = name.substr(0, name.find('.'));
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        if (!std::all_of(label.begin(), label.end(), [](char c) {
                return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
            }))
            return false;
        ++labels;
        if (label.size() == name.size())
            return labels >= 2;
        name.remove_prefix(label.size() + 1);
    }
}

// A domain name, or a wildcard "*.DOMAIN" (only dns-01 can validate those: make_section checks).
bool is_requestable_name(std::string_view name)
{
    return is_domain_name(name.starts_with("*.") ? name.substr(2) : name);
}

std::optional<std::string> canonical_ip(const std::string& text)
{
    unsigned char bytes[16];
    char out[INET6_ADDRSTRLEN];
    for (const int family : {AF_INET, AF_INET6})
        if (::inet_pton(family, text.c_str(), bytes) == 1 && ::inet_ntop(family, bytes, out, sizeof out) != nullptr)
            return std::string(out);
    return std::nullopt;
}

}  // namespace

std::vector<subject_alt_name> parse_subject_alt_names(std::string_view text)
{
    std::vector<subject_alt_name> names;
    while (true) {
        const std::size_t comma = text.find(',');
        const std::string_view entry = trim(text.substr(0, comma));
        const std::size_t colon = entry.find(':');
        const std::string_view type = entry.substr(0, colon);
        const std::string value(trim(entry.substr(colon == std::string_view::npos ? entry.size() : colon + 1)));
        if (type == "DNS" && is_requestable_name(value)) {
            names.push_back({subject_alt_name::kind::dns, value});
        } else if (type == "IP" && canonical_ip(value)) {
            names.push_back({subject_alt_name::kind::ip, *canonical_ip(value)});
        } else if (type == "DNS" || type == "IP") {
            throw error("invalid " + std::string(type) + " name '" + value + "'");
        } else {
            throw error("unsupported entry '" + std::string(entry) + "' (only DNS: and IP: names)");
        }
        if (comma == std::string_view::npos)
            return names;
        text.remove_prefix(comma + 1);
    }
}

namespace {

int parse_min_days(const std::string& text)
{
    const auto days = parse_number<int>(text);
    if (!days)
        throw error("not an integer: '" + text + "'");
    return *days;
}

mode_t parse_mode(const std::string& text)
{
    const auto mode = parse_number<mode_t>(text, 0, 07777, 8);
    if (!mode)
        throw error("not an octal mode: '" + text + "'");
    return *mode;
}

owner_spec parse_owner(const std::string& text)
{
    const std::size_t colon = text.find(':');
    owner_spec owner{text.substr(0, colon), std::nullopt};
    if (colon != std::string::npos)
        owner.group = text.substr(colon + 1);
    if (owner.user.empty() || (owner.group && owner.group->empty()))
        throw error("expected USER[:GROUP], got '" + text + "'");
    return owner;
}

// keyUsage and tlsfeature go into the request as `openssl req` reads them from its config;
// letting OpenSSL parse them now reports a bad name at load time, with its line.
void check_extension_value(int nid, const std::string& value)
{
    X509_EXTENSION* extension = X509V3_EXT_nconf_nid(nullptr, nullptr, nid, value.c_str());
    if (extension == nullptr)
        throw_openssl("invalid value '" + value + "'");
    X509_EXTENSION_free(extension);
}

challenge_type parse_challenge(const std::string& text)
{
    if (text == "http-01")
        return challenge_type::http_01;
    if (text == "dns-01")
        return challenge_type::dns_01;
    throw error("expected http-01 or dns-01, got '" + text + "'");
}

dns_server parse_server_address(std::string_view text)
{
    std::string_view address = text;
    std::optional<std::uint16_t> port = 53;
    if (text.starts_with('[')) {  // [IPv6]:PORT
        const std::size_t close = text.find(']');
        if (close == std::string_view::npos || (close + 1 < text.size() && text[close + 1] != ':'))
            throw error("expected ADDRESS, ADDRESS:PORT or [IPv6]:PORT, got '" + std::string(text) + "'");
        address = text.substr(1, close - 1);
        if (close + 1 < text.size())
            port = parse_number<std::uint16_t>(text.substr(close + 2), 1, 65535);
    } else if (const std::size_t colon = text.find(':'); colon != std::string_view::npos && text.rfind(':') == colon) {
        address = text.substr(0, colon);  // IPv4:PORT
        port = parse_number<std::uint16_t>(text.substr(colon + 1), 1, 65535);
    }
    const auto ip = canonical_ip(std::string(address));
    if (!ip || !port)
        throw error("expected ADDRESS, ADDRESS:PORT or [IPv6]:PORT, got '" + std::string(text) + "'");
    return {*ip, *port};
}

std::vector<dns_server> parse_dns_servers(const std::string& text)
{
    std::vector<dns_server> servers;
    std::string blanks = text;  // "A, B" or "A B"
    std::replace(blanks.begin(), blanks.end(), ',', ' ');
    for (const auto& item : split_on_blanks(blanks))
        servers.push_back(parse_server_address(item));
    return servers;
}

std::chrono::seconds parse_seconds(const std::string& text, long long max)
{
    const auto seconds = parse_number<long long>(text, 1, max);
    if (!seconds)
        throw error("expected a number of seconds from 1 to " + std::to_string(max) + ", got '" + text + "'");
    return std::chrono::seconds(*seconds);
}

std::string check_hash(const std::string& text)
{
    if (std::find(known_hashes.begin(), known_hashes.end(), text) == known_hashes.end())
        throw error("unsupported digest '" + text + "' (md5, rmd160, sha1, sha224, sha256, sha384 or sha512)");
    return text;
}

// Applies parse to the key's value when it is set and not empty; a failure goes to errors.
template <class Parse>
void read_value(const raw_section& raw, std::string_view key, std::vector<std::string>& errors, Parse&& parse)
{
    const auto it = raw.find(key);
    if (it == raw.end() || it->second.text.empty())
        return;
    try {
        parse(it->second.text);
    } catch (const error& e) {
        errors.push_back(it->second.where + ": " + std::string(key) + ": " + e.what());
    }
}

// lacme's deprecated spellings `owner` and `mode` win over `chown` and `chmod`.
std::string_view alias_or(const raw_section& raw, std::string_view alias, std::string_view key)
{
    const auto it = raw.find(alias);
    return it != raw.end() && !it->second.text.empty() ? alias : key;
}

// What the challenge type can validate: a wildcard only dns-01 (RFC 8555 §7.1.3), an IP address
// only http-01 (RFC 8738 §7), and dns-01 needs the hook that publishes its records.
void check_challenge(certificate_section& s, const std::string& where)
{
    const bool dns01 = s.challenge == challenge_type::dns_01;
    for (const auto& name : s.identifiers())
        if (name.starts_with("*.") && !dns01)
            s.errors.push_back(where + "wildcard name '" + name + "' needs challenge = dns-01");
    for (const auto& alt : s.subject_alt_names)
        if (dns01 && alt.type == subject_alt_name::kind::ip)
            s.errors.push_back(where + "IP address '" + alt.value + "' can't be validated by dns-01 (use http-01)");
    if (dns01 && !s.dns_hook && !s.dns_update)
        s.errors.push_back(where + "challenge = dns-01 needs dns-hook or dns-update-server");
    if (dns01 && s.dns_hook && s.dns_update)
        s.errors.push_back(where + "dns-hook and dns-update-server exclude each other: set one");
}

std::string parse_zone(const std::string& text)
{
    std::string_view zone = text;
    if (zone.ends_with('.'))
        zone.remove_suffix(1);
    if (!is_domain_name(zone))
        throw error("expected a domain name, got '" + text + "'");
    return ascii_lower(zone);
}

std::string parse_key_path(const std::string& text)
{
    if (!text.starts_with('/'))
        throw error("expected an absolute path, got '" + text + "'");
    return text;
}

// dns-update-server and dns-tsig-key go together; dns-zone only with them.
void read_dns_update(const raw_section& raw, certificate_section& s)
{
    std::optional<dns_server> server;
    std::optional<std::string> key;
    std::optional<std::string> zone;
    read_value(raw, "dns-update-server", s.errors, [&](const std::string& v) { server = parse_server_address(v); });
    read_value(raw, "dns-tsig-key", s.errors, [&](const std::string& v) { key = parse_key_path(v); });
    read_value(raw, "dns-zone", s.errors, [&](const std::string& v) { zone = parse_zone(v); });
    const std::string where = s.origin + ": [" + s.name + "]: ";
    const auto is_set = [&](std::string_view k) {
        const auto it = raw.find(k);
        return it != raw.end() && !it->second.text.empty();
    };
    if (is_set("dns-update-server") && !is_set("dns-tsig-key"))
        s.errors.push_back(where + "dns-update-server needs dns-tsig-key (updates are signed with TSIG)");
    if (is_set("dns-tsig-key") && !is_set("dns-update-server"))
        s.errors.push_back(where + "dns-tsig-key needs dns-update-server");
    if (is_set("dns-zone") && !is_set("dns-update-server"))
        s.errors.push_back(where + "dns-zone needs dns-update-server");
    if (server && key)
        s.dns_update = dns_update_settings{*server, *key, zone};
}

certificate_section make_section(const std::string& name, std::string origin, const raw_section& raw)
{
    certificate_section s;
    s.name = name;
    s.origin = std::move(origin);
    auto& errors = s.errors;
    const auto copy_to = [](std::string& target) { return [&target](const std::string& v) { target = v; }; };
    const auto copy_opt = [](std::optional<std::string>& target) {
        return [&target](const std::string& v) { target = v; };
    };
    read_value(raw, "certificate", errors, copy_to(s.certificate));
    read_value(raw, "certificate-chain", errors, copy_to(s.certificate_chain));
    read_value(raw, "certificate-key", errors, copy_to(s.certificate_key));
    read_value(raw, "min-days", errors, [&](const std::string& v) { s.min_days = parse_min_days(v); });
    read_value(raw, "subject", errors, [&](const std::string& v) {
        parse_subject(v);
        s.subject = v;
    });
    read_value(raw, "subjectAltName", errors,
               [&](const std::string& v) { s.subject_alt_names = parse_subject_alt_names(v); });
    if (const auto it = raw.find("CAfile"); it != raw.end())
        s.ca_file = it->second.text;
    read_value(raw, "hash", errors, [&](const std::string& v) { s.hash = check_hash(v); });
    read_value(raw, "keyUsage", errors, [&](const std::string& v) {
        check_extension_value(NID_key_usage, "critical," + v);
        s.key_usage = v;
    });
    read_value(raw, "tlsfeature", errors, [&](const std::string& v) {
        check_extension_value(NID_tlsfeature, v);
        s.tls_feature = v;
    });
    const std::string_view owner_key = alias_or(raw, "owner", "chown");
    read_value(raw, owner_key, errors, [&](const std::string& v) { s.chown = parse_owner(v); });
    if (const auto it = raw.find(owner_key); it != raw.end())
        s.chown_origin = it->second.where;
    read_value(raw, alias_or(raw, "mode", "chmod"), errors, [&](const std::string& v) { s.chmod = parse_mode(v); });
    read_value(raw, "notify", errors, copy_opt(s.notify));
    read_value(raw, "preferred-chain", errors, copy_opt(s.preferred_chain));
    read_value(raw, "challenge", errors, [&](const std::string& v) { s.challenge = parse_challenge(v); });
    read_value(raw, "dns-hook", errors, copy_opt(s.dns_hook));
    read_value(raw, "dns-hook-timeout", errors,
               [&](const std::string& v) { s.dns_hook_timeout = parse_seconds(v, max_hook_timeout); });
    read_value(raw, "dns-propagation-servers", errors,
               [&](const std::string& v) { s.dns_propagation_servers = parse_dns_servers(v); });
    read_value(raw, "dns-propagation-timeout", errors,
               [&](const std::string& v) { s.dns_propagation_timeout = parse_seconds(v, max_propagation_timeout); });
    read_dns_update(raw, s);

    const std::string where = s.origin + ": [" + name + "]: ";
    if (s.certificate.empty() && s.certificate_chain.empty())
        errors.push_back(where + "'certificate' or 'certificate-chain' is required");
    if (s.certificate_key.empty())
        errors.push_back(where + "'certificate-key' is required");
    if (const auto it = raw.find("subject"); it == raw.end() || it->second.text.empty())
        errors.push_back(where + "'subject' is required");
    else if (s.identifiers().empty())
        errors.push_back(where + "no domain name to request (subject CN or subjectAltName)");
    check_challenge(s, where);
    return s;
}

// An unknown key in a section is an error (as lacme 0.8); in the default section lacme 0.8
// ignores it, and so do we, with a warning.
void check_keys(const std::string& file, const std::string& section, const ini_config::section& values,
                std::vector<std::string>* warnings)
{
    for (const auto& [key, value] : values.values) {
        if (std::find(known_keys.begin(), known_keys.end(), key) != known_keys.end())
            continue;
        const std::string where = file + ":" + std::to_string(value.line) + ": unknown key '" + key + "'";
        if (!section.empty())
            throw error(where + " in section [" + section + "]");
        if (warnings)
            warnings->push_back(where + " in the default section: ignored, as lacme 0.8 does");
    }
}

bool is_directory(const std::string& path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::vector<std::string> conf_files_in(const std::string& dir)
{
    std::error_code ec;
    std::vector<std::string> files;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() > 5 && name.ends_with(".conf"))
            files.push_back(dir + "/" + name);
    }
    if (ec)
        throw error("can't read directory " + dir + ": " + ec.message());
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::string> files_of(std::string item, std::string_view config_dir)
{
    if (!item.starts_with('/'))
        item = std::string(config_dir) + "/" + item;
    if (item.ends_with('/')) {
        item.pop_back();
        return conf_files_in(item);
    }
    return is_directory(item) ? conf_files_in(item) : std::vector<std::string>{item};
}

// Reads configuration files one after another: default-section keys apply to the sections read
// after them, and a section defined again replaces the earlier one.
class section_reader {
public:
    void add(const ini_config& config, const std::string& file, std::vector<std::string>* warnings)
    {
        const auto where = [&file](int line) { return file + ":" + std::to_string(line); };
        for (const auto& [name, section] : config.sections()) {
            check_keys(file, name, section, warnings);
            if (name.empty())
                for (const auto& [key, value] : section.values)
                    if (std::find(known_keys.begin(), known_keys.end(), key) != known_keys.end())
                        defaults_[key] = {value.text, where(value.line)};
        }
        for (const auto& [name, section] : config.sections()) {
            if (name.empty())
                continue;
            raw_section raw = defaults_;
            for (const auto& [key, value] : section.values)
                raw[key] = {value.text, where(value.line)};
            sections_.insert_or_assign(name, make_section(name, where(section.line), raw));
        }
    }

    // Sorted by section name.
    std::vector<certificate_section> sections() &&
    {
        std::vector<certificate_section> result;
        for (auto& [name, section] : sections_)
            result.push_back(std::move(section));
        return result;
    }

private:
    raw_section defaults_;
    std::map<std::string, certificate_section> sections_;
};

}  // namespace

std::vector<std::string> certificate_section::identifiers() const
{
    std::vector<std::string> names;
    const auto add = [&names](const std::string& name) {
        if (std::find(names.begin(), names.end(), name) == names.end())
            names.push_back(name);
    };
    try {
        const auto entries = parse_subject(subject);
        if (!entries.empty() && entries.back().nid == NID_commonName && is_requestable_name(entries.back().value))
            add(entries.back().value);
    } catch (const error&) {
        // reported in errors when the section was read
    }
    for (const auto& alt : subject_alt_names)
        add(alt.value);
    return names;
}

const std::string& certificate_section::reference_certificate() const
{
    return certificate_chain.empty() ? certificate : certificate_chain;
}

std::vector<certificate_section> load_certificate_sections(std::span<const std::string> items,
                                                           std::string_view config_dir,
                                                           std::vector<std::string>* warnings)
{
    section_reader reader;
    for (const auto& item : items)
        for (const auto& file : files_of(item, config_dir))
            reader.add(ini_config::read_file(file), file, warnings);
    return std::move(reader).sections();
}

std::vector<certificate_section> parse_certificate_sections(std::string_view text, const std::string& file,
                                                            std::vector<std::string>* warnings)
{
    section_reader reader;
    reader.add(ini_config::parse(text, file), file, warnings);
    return std::move(reader).sections();
}

section_selection select_known_sections(const std::vector<certificate_section>& all, std::span<const std::string> names)
{
    section_selection selection;
    if (names.empty()) {
        for (const auto& section : all)
            selection.sections.push_back(&section);
        return selection;
    }
    for (const auto& name : names) {
        const auto it = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.name == name; });
        if (it == all.end())
            selection.unknown.push_back(name);
        else if (std::find(selection.sections.begin(), selection.sections.end(), &*it) == selection.sections.end())
            selection.sections.push_back(&*it);
    }
    return selection;
}

std::vector<const certificate_section*> select_sections(const std::vector<certificate_section>& all,
                                                        std::span<const std::string> names)
{
    section_selection selection = select_known_sections(all, names);
    if (!selection.unknown.empty())
        throw error("no such certificate section [" + selection.unknown.front() + "]");
    return std::move(selection.sections);
}

dns_server parse_dns_server(std::string_view text)
{
    return parse_server_address(text);
}

}  // namespace lacme::master
