// SPDX-License-Identifier: GPL-3.0-or-later
// HTTPS to the CA with libcurl: TLS settings as lacme's [client] section has them, a hard cap on
// response bodies, and several requests in flight at once (curl multi) for the parallel
// authorization steps. Connections are kept alive across requests.
#pragma once

#include "client/client_config.hpp"
#include "client/http_transport.hpp"
#include "client/run_log.hpp"

#include <cstddef>
#include <memory>

namespace lacme::client {

class curl_transport final : public http_transport {
public:
    static constexpr std::size_t default_body_cap = std::size_t{1024} * 1024;

    curl_transport(tls_settings tls, run_log& log, std::size_t body_cap = default_body_cap);
    ~curl_transport() override;
    curl_transport(const curl_transport&) = delete;
    curl_transport& operator=(const curl_transport&) = delete;

    std::vector<http_outcome> perform_all(std::span<const http_request> requests,
                                          std::chrono::milliseconds timeout) override;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace lacme::client
