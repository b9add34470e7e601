// SPDX-License-Identifier: GPL-3.0-or-later
// `lacme check` for one certificate section: everything that can be known without the CA.
#pragma once

#include "master/certificate_config.hpp"

#include <string>
#include <vector>

namespace lacme::master {

// One line per problem (the caller adds the section name): the section's configuration
// errors, then: certificate-key unreadable or not a key; a request that can't be built from it
// (subject, hash, extensions); an installed certificate of another key; a CAfile that can't be
// loaded; a target directory that is missing, not writable or short of space; a chown user or
// group that does not exist. Empty when the section is fine.
std::vector<std::string> check_section(const certificate_section& section);

// The part of check_section that newOrder runs before ordering, so that the CA never issues a
// certificate that could not be installed: CAfile, target directories and their free space
// (master/target_space.hpp), chown user and group.
std::vector<std::string> installation_problems(const certificate_section& section);

}  // namespace lacme::master
