// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/dns_journal.hpp"

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/json_member.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cerrno>

namespace lacme::master {
namespace {

constexpr std::size_t max_dns_journal_size = 256 * 1024;

}  // namespace

std::string dns_journal_path(const std::string& reference_certificate)
{
    const std::string name = reference_certificate.substr(reference_certificate.rfind('/') + 1);
    return reference_certificate.substr(0, reference_certificate.size() - name.size()) + "." + name + ".lacme-dns";
}

void write_dns_journal(const std::string& path, std::span<const dns_record> records)
{
    if (records.empty()) {
        if (::unlink(path.c_str()) != 0 && errno != ENOENT)
            throw_errno("unlink " + path);
        sync_parent_directory(path);
        return;
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : records)
        list.push_back({{"name", r.name}, {"value", r.value}});
    write_file_atomically(path, list.dump() + "\n", 0600);
}

std::vector<dns_record> read_dns_journal(const std::string& path)
{
    const auto text = read_file_if_present(path, max_dns_journal_size);
    if (!text)
        return {};
    const auto list = nlohmann::json::parse(*text, nullptr, false);
    if (!list.is_array())
        throw error(path + ": not a dns-01 journal");
    std::vector<dns_record> records;
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
        records.push_back(std::move(r));
    }
    return records;
}

}  // namespace lacme::master
