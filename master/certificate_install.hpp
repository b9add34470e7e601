// SPDX-License-Identifier: GPL-3.0-or-later
// After issuance: check the chain the CA returned, then install it. Nothing is written unless
// every check passes; the service key is never written.
#pragma once

#include "common/atomic_file.hpp"
#include "master/certificate_config.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::master {

struct installed_certificate {
    std::chrono::system_clock::time_point expiry;
    std::vector<std::string> paths;  // certificate, then certificate-chain (those configured)
};

// The ids of a `chown` value. Throws lacme::error "chown: unknown user NAME" (or group).
file_owner resolve_owner(const owner_spec& owner);

// Checks, in order: the section has no configuration error; pem_chain holds certificates; the
// leaf's public key is the service key's; the leaf is the one ordered (check_issued_leaf: the
// section's names, notBefore not before ordered_at minus issuance_allowance); the chain
// verifies against CAfile (purpose sslserver, strict; skipped when CAfile is empty); the chown
// user and group exist. Then writes `certificate` (the leaf) and `certificate-chain` (the
// verified path without its self-signed root; without CAfile, the received certificates up to
// the first that did not issue the one before it) to temporary files with common/atomic_file,
// and renames them over the targets once both are written (journaled, see install_journal);
// mode `chmod` or else 0644 minus the umask, owner `chown`.
// Throws lacme::error, one line.
installed_certificate verify_and_install(const certificate_section& section, std::string_view pem_chain,
                                         std::chrono::system_clock::time_point ordered_at);

// Completes the renames of an install of this section that a crash interrupted (install_journal);
// returns the files it replaced. Run before the section's certificates are read.
std::vector<std::string> finish_interrupted_install(const certificate_section& section);

}  // namespace lacme::master
