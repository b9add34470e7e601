// SPDX-License-Identifier: GPL-3.0-or-later
// The client's error layers. Each is a lacme::error (what() is the whole one-line message) so
// main() turns any of them into "Error: ..." and exit status 1.
#pragma once

#include "common/error.hpp"

#include <string>

namespace lacme::client {

// The HTTPS exchange itself failed: connection, TLS, timeout, oversized or unreadable response.
class transport_error : public lacme::error {
public:
    using lacme::error::error;
};

// The CA answered with a problem document or with something that is not valid ACME.
class acme_error : public lacme::error {
public:
    acme_error(const std::string& message, std::string problem_type = {})
        : lacme::error(message), problem_type_(std::move(problem_type)) {}
    // urn:ietf:params:acme:error:... when the CA sent a problem document, else empty.
    [[nodiscard]] const std::string& problem_type() const noexcept { return problem_type_; }

private:
    std::string problem_type_;
};

}  // namespace lacme::client
