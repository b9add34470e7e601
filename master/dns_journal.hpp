// SPDX-License-Identifier: GPL-3.0-or-later
// The dns-01 records a section has published and not removed yet, in a journal beside its
// certificate (".NAME.lacme-dns", root's, mode 0600), written (atomic_file) before each hook adds
// a record and after each removal, gone when nothing is published. A run killed with SIGKILL
// leaves it behind; the next run of the section removes those records first, the way each was
// published: a record added by RFC 2136 keeps its server, key file and zone (so a section whose
// configuration changed since still removes it), one added by the hook goes through the hook.
#pragma once

#include "common/dns01_protocol.hpp"
#include "master/certificate_config.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lacme::master {

struct dns_journal_entry {
    dns_record record;
    std::optional<dns_update_settings> update;  // added by RFC 2136 (how to delete it); else by the dns-hook

    bool operator==(const dns_journal_entry&) const = default;
};

// ".NAME.lacme-dns" beside the reference certificate (certificate-chain, else certificate).
[[nodiscard]] std::string dns_journal_path(const std::string& reference_certificate);

// Writes the records (replacing the journal), or removes the journal when there are none.
// Throws lacme::error.
void write_dns_journal(const std::string& path, std::span<const dns_journal_entry> records);

// The journal's records; none when it does not exist. Throws lacme::error for anything else than
// a journal written by write_dns_journal (a symlink included).
[[nodiscard]] std::vector<dns_journal_entry> read_dns_journal(const std::string& path);

}  // namespace lacme::master
