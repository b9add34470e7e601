// SPDX-License-Identifier: GPL-3.0-or-later
// The client's error layers. Each is a lacme::error (what() is the whole one-line message) so
// main() turns any of them into "Error: ..." and exit status 1.
#pragma once

#include "common/error.hpp"

namespace lacme::client {

// The HTTPS exchange itself failed: connection, TLS, timeout, oversized or unreadable response.
class transport_error : public lacme::error {
public:
    using lacme::error::error;
};

// The CA answered with a problem document or with something that is not valid ACME.
class acme_error : public lacme::error {
public:
    using lacme::error::error;
};

}  // namespace lacme::client
