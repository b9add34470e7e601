// SPDX-License-Identifier: GPL-3.0-or-later
// The certificate configuration (lacme-certs.conf, lacme-certs.conf.d/*.conf or --config-certs):
// one section per certificate to issue, with lacme's keys and defaults plus ours
// (`preferred-chain`, `IP:` entries in subjectAltName, dns-01 challenges and wildcard names).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::master {

struct subject_alt_name {
    enum class kind { dns, ip };
    kind type;
    std::string value;  // an IP address in its canonical text form

    bool operator==(const subject_alt_name&) const = default;
};

struct owner_spec {
    std::string user;
    std::optional<std::string> group;

    bool operator==(const owner_spec&) const = default;
};

enum class challenge_type { http_01, dns_01 };

// A DNS server to ask whether a TXT record is visible (dns-propagation-servers).
struct dns_server {
    std::string address;  // IPv4 or IPv6, canonical text form
    std::uint16_t port = 53;

    bool operator==(const dns_server&) const = default;
};

// RFC 2136 updates (dns-update-server, dns-tsig-key, dns-zone): where, with which key, in which zone.
struct dns_update_settings {
    dns_server server;
    std::string tsig_key;  // the key file, BIND's format
    std::optional<std::string> zone;  // unset: found by SOA lookups at the server

    bool operator==(const dns_update_settings&) const = default;
};

struct certificate_section {
    std::string name;
    std::string origin;  // "FILE:LINE" of the section header
    std::string certificate;  // empty: not installed
    std::string certificate_chain;  // empty: not installed
    std::string certificate_key;
    std::optional<int> min_days;
    std::string subject;
    std::vector<subject_alt_name> subject_alt_names;
    std::string ca_file = "/usr/share/lacme/ca-certificates.crt";  // empty: no verification
    std::optional<std::string> hash;
    std::optional<std::string> key_usage;  // as written, e.g. "digitalSignature, keyEncipherment"
    std::optional<std::string> tls_feature;  // as written, e.g. "status_request"
    std::optional<owner_spec> chown;
    std::string chown_origin;  // "FILE:LINE" of chown (or owner)
    std::optional<mode_t> chmod;
    std::optional<std::string> notify;
    std::optional<std::string> preferred_chain;
    challenge_type challenge = challenge_type::http_01;
    std::optional<std::string> dns_hook;  // dns-01: `COMMAND add|remove NAME VALUE` via /bin/sh
    std::optional<dns_update_settings> dns_update;  // dns-01 through RFC 2136 instead of the hook
    std::chrono::seconds dns_hook_timeout{60};  // each hook run; killed with its group past it
    std::vector<dns_server> dns_propagation_servers;  // empty: the zone's authoritative servers
    std::chrono::seconds dns_propagation_timeout{120};
    // Values that failed validation, one line each naming FILE:LINE and the key. A section with
    // errors fails on its own; the other sections of the run go on.
    std::vector<std::string> errors;

    // The names for the new order: the subject's last CN when it is a domain name (as lacme),
    // then every subjectAltName entry, without repeats.
    [[nodiscard]] std::vector<std::string> identifiers() const;
    // The installed file whose expiry decides renewal: certificate-chain if set, else certificate.
    [[nodiscard]] const std::string& reference_certificate() const;
};

// items: the config-certs list, each already %-expanded; relative ones are relative to
// config_dir. A directory (or an item ending in '/') contributes its *.conf files in
// lexicographic order; other names in it are skipped. Later items take precedence: a section
// defined again replaces the earlier one, and default-section keys apply to the sections read
// after them. Result sorted by section name. Throws lacme::error (naming FILE:LINE and the key)
// for an unreadable file, a syntax error or an unknown key in a section; a bad or missing value
// only goes to that section's errors. An unknown key in a default section is ignored, as lacme
// 0.8 does: "FILE:LINE: ..." goes to warnings when given.
std::vector<certificate_section> load_certificate_sections(std::span<const std::string> items,
                                                           std::string_view config_dir,
                                                           std::vector<std::string>* warnings = nullptr);

// One configuration file's text (file names it in messages), read as load_certificate_sections
// reads each file when it is the only one.
std::vector<certificate_section> parse_certificate_sections(std::string_view text, const std::string& file,
                                                            std::vector<std::string>* warnings = nullptr);

// A subjectAltName value: "DNS:NAME, IP:ADDRESS, ..." (IP addresses in canonical form). Throws
// lacme::error naming the first bad entry.
std::vector<subject_alt_name> parse_subject_alt_names(std::string_view text);

// "ADDRESS", "ADDRESS:PORT" or "[IPv6]:PORT" (default port 53). Throws lacme::error.
dns_server parse_dns_server(std::string_view text);

// The sections named on the command line (in that order, repeats dropped), or all of them when
// names is empty, and the names that no section has (lacme 0.8 warns about those and goes on).
struct section_selection {
    std::vector<const certificate_section*> sections;
    std::vector<std::string> unknown;
};
section_selection select_known_sections(const std::vector<certificate_section>& all,
                                        std::span<const std::string> names);

// select_known_sections, but a name that no section has is a lacme::error.
std::vector<const certificate_section*> select_sections(const std::vector<certificate_section>& all,
                                                        std::span<const std::string> names);

}  // namespace lacme::master
