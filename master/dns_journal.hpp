// SPDX-License-Identifier: GPL-3.0-or-later
// The dns-01 records a section has published and not removed yet, in a journal beside its
// certificate (".NAME.lacme-dns", root's, mode 0600), written (atomic_file) before each hook adds
// a record and after each removal, gone when nothing is published. A run killed with SIGKILL
// leaves it behind; the next run of the section removes those records first.
#pragma once

#include "common/dns01_protocol.hpp"

#include <span>
#include <string>
#include <vector>

namespace lacme::master {

// ".NAME.lacme-dns" beside the reference certificate (certificate-chain, else certificate).
[[nodiscard]] std::string dns_journal_path(const std::string& reference_certificate);

// Writes the records (replacing the journal), or removes the journal when there are none.
// Throws lacme::error.
void write_dns_journal(const std::string& path, std::span<const dns_record> records);

// The journal's records; none when it does not exist. Throws lacme::error for anything else than
// a journal written by write_dns_journal (a symlink included).
[[nodiscard]] std::vector<dns_record> read_dns_journal(const std::string& path);

}  // namespace lacme::master
