// SPDX-License-Identifier: GPL-3.0-or-later
// The [client] section the master hands over on CONFIG_FD as a JSON object of strings (lacme
// 0.8 sends every key of the section; the master has already rejected unknown ones).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace lacme::client {

inline constexpr std::string_view default_server = "https://acme-v02.api.letsencrypt.org/directory";

struct tls_settings {
    bool verify = true;  // SSL_verify
    std::string ca_file;  // SSL_CAfile (ours): trust anchors instead of the system store
    std::string version;  // SSL_version, IO::Socket::SSL syntax: "TLSv1_2", "SSLv23:!TLSv1"...
    std::string cipher_list;  // SSL_cipher_list, OpenSSL syntax
};

struct client_config {
    std::string server{default_server};
    std::chrono::seconds timeout{30};  // polling limit of each wait; 0: none (as lacme)
    tls_settings tls;
    std::string preferred_chain;  // issuer CN of the chain's top certificate ("" = CA's default)
    std::string challenge = "http-01";  // "dns-01": only from our master (common/dns01_protocol.hpp)
};

// Throws lacme::error for malformed JSON or a bad value (named).
client_config parse_client_config(std::string_view json_text);

}  // namespace lacme::client
