// SPDX-License-Identifier: GPL-3.0-or-later
// OpenSSL failures as lacme::error, kept apart from common/error.hpp so code without OpenSSL
// (the webserver) links none of it.
#pragma once

#include "common/error.hpp"

#include <string_view>

namespace lacme {

// Throws lacme::error "WHAT: <OpenSSL error queue>" and clears the queue.
[[noreturn]] void throw_openssl(std::string_view what);

}  // namespace lacme
