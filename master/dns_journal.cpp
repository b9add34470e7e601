// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/dns_journal.hpp"

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/json_member.hpp"
#include "master/dns_resolver.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cerrno>

namespace lacme::master {
namespace {

constexpr std::size_t max_dns_journal_size = std::size_t{256} * 1024;

// The RFC 2136 route of a journal item, checked as the configuration checks it.
std::optional<dns_update_settings> update_route(const std::string& path, const nlohmann::json& item)
{
    if (!item.contains("dns-update-server"))
        return std::nullopt;
    try {
        dns_update_settings update{parse_dns_server(string_member(item, "dns-update-server")),
                                   string_member(item, "dns-tsig-key"), std::nullopt};
        if (!update.tsig_key.starts_with('/'))
            throw error("a relative dns-tsig-key");
        if (item.contains("dns-zone"))
            update.zone = string_member(item, "dns-zone");
        if (update.zone && (update.zone->empty() || update.zone->find_first_of(" \t\n\"\\;") != std::string::npos))
            throw error("a bad dns-zone");
        return update;
    } catch (const error& e) {
        throw error(path + ": not a dns-01 journal (" + e.what() + ")");
    }
}

}  // namespace

std::string dns_journal_path(const std::string& reference_certificate)
{
    const std::string name = reference_certificate.substr(reference_certificate.rfind('/') + 1);
    return reference_certificate.substr(0, reference_certificate.size() - name.size()) + "." + name + ".lacme-dns";
}

void write_dns_journal(const std::string& path, std::span<const dns_journal_entry> records)
{
    if (records.empty()) {
        if (::unlink(path.c_str()) != 0 && errno != ENOENT)
            throw_errno("unlink " + path);
        sync_parent_directory(path);
        return;
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [r, update] : records) {
        nlohmann::json item = {{"name", r.name}, {"value", r.value}};
        if (update) {
            item["dns-update-server"] = describe_dns_server(update->server);
            item["dns-tsig-key"] = update->tsig_key;
            if (update->zone)
                item["dns-zone"] = *update->zone;
        }
        list.push_back(std::move(item));
    }
    write_file_atomically(path, list.dump() + "\n", 0600);
}

std::vector<dns_journal_entry> read_dns_journal(const std::string& path)
{
    const auto text = read_file_if_present(path, max_dns_journal_size);
    if (!text)
        return {};
    const auto list = nlohmann::json::parse(*text, nullptr, false);
    if (!list.is_array())
        throw error(path + ": not a dns-01 journal");
    std::vector<dns_journal_entry> records;
    for (const auto& item : list) {
        if (!item.is_object())
            throw error(path + ": not a dns-01 journal");
        dns_record r{string_member(item, "name"), string_member(item, "value")};
        // The names and values a client could have asked for, nothing else reaches the hook.
        try {
            (void)parse_dns01_request(format_dns01_request({dns01_action::remove, {r}}));
        } catch (const error& e) {
            throw error(path + ": not a dns-01 journal (" + e.what() + ")");
        }
        records.push_back({std::move(r), update_route(path, item)});
    }
    return records;
}

}  // namespace lacme::master
