// SPDX-License-Identifier: GPL-3.0-or-later
// Files replaced together (a section's certificate and certificate-chain) must never stay half
// replaced: a crash between their renames would pair a new certificate with the old chain.
// Before the first rename, a journal beside the reference certificate lists every pending rename
// (temporary file → target); it goes once all are done. The next run completes the renames a
// crash interrupted, before it reads the certificates.
#pragma once

#include "common/atomic_file.hpp"
#include "common/unique_fd.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::master {

// One pending rename a journal records: a staged temporary file and the target it replaces.
struct journal_rename {
    std::string from, to;

    bool operator==(const journal_rename&) const = default;
};

class install_journal {
public:
    // Writes (and syncs) the journal at path for files, all staged and none committed yet.
    install_journal(std::string path, std::span<const staged_file> files);
    install_journal(const install_journal&) = delete;
    install_journal& operator=(const install_journal&) = delete;

    // Every file committed: removes the journal.
    void complete();

private:
    std::string path_;
    unique_fd lock_;  // flock'ed while the install runs: complete_interrupted_install leaves it alone
};

// The journal's contents for renames, as install_journal writes them.
std::string install_journal_text(std::span<const journal_rename> renames);

// The renames a journal's text records (journal_path names it in errors). Each target must be
// one of targets and each temporary file its staged_file's. Throws lacme::error (bad journal).
std::vector<journal_rename> parse_install_journal(std::string_view text, const std::string& journal_path,
                                                  const std::vector<std::string>& targets);

// ".NAME.lacme-install" beside target.
std::string install_journal_path(const std::string& target);

// Renames what the interrupted install recorded at journal_path left pending, then removes the
// journal; nothing to do without one. Each target must be one of targets and each temporary
// file its staged_file's. Returns the targets it replaced. Throws lacme::error (bad journal,
// failed rename, or a journal whose writer is still installing: another live run's).
std::vector<std::string> complete_interrupted_install(const std::string& journal_path,
                                                      const std::vector<std::string>& targets);

}  // namespace lacme::master
