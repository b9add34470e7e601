// SPDX-License-Identifier: GPL-3.0-or-later
// HTTP Link headers (RFC 8288) as ACME uses them: rel="alternate" for alternate certificate
// chains, rel="index" for the directory, rel="up" for an authorization's parent.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lacme::client {

struct link {
    std::string target;
    std::string rel;  // lowercased; one link per relation type when rel lists several
};

// Parses one header value (which may carry several comma-separated links). Malformed parts are
// skipped: a bad link from the CA must not fail the order.
std::vector<link> parse_link_header(std::string_view value);

// Targets with relation `rel` across all the given header values, in order.
std::vector<std::string> links_with_rel(const std::vector<std::string>& header_values, std::string_view rel);

}  // namespace lacme::client
