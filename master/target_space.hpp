// SPDX-License-Identifier: GPL-3.0-or-later
// Free space in the directories a section installs into, checked before ordering: a full disk
// found after issuance wastes an order (and the CA's rate limit) and leaves the old certificate.
#pragma once

#include <sys/statvfs.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lacme::master {

// What installing over a file of current_size (nullopt: none yet) may take: three times its size
// (a new chain can be longer, e.g. a cross-signed intermediate, and the temporary file exists
// beside the old one until the rename), at least 64 KiB (a chain is a few KiB; filesystems
// allocate whole blocks and a first install has nothing to go by).
std::uint64_t expected_install_size(std::optional<std::uint64_t> current_size);

// The bytes a writer may still use: root may use the blocks reserved for it, others may not.
std::uint64_t available_bytes(const struct statvfs& fs, bool privileged);

// "not enough free space in DIR: N bytes available, about M needed", or nullopt when it fits.
std::optional<std::string> space_shortage(const std::string& dir, std::uint64_t available, std::uint64_t needed);

// The shortage of each directory of targets (the certificate files a section writes, those in
// one directory added up), measured with statvfs on the directory; a directory that can't be
// opened is left to the target directory check. One line per directory short of space.
std::vector<std::string> target_space_problems(const std::vector<std::string>& targets);

}  // namespace lacme::master
