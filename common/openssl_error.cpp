// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/openssl_error.hpp"

#include <openssl/err.h>

#include <string>

namespace lacme {

void throw_openssl(std::string_view what)
{
    std::string message(what);
    // Report the earliest queued error: it is the root cause; later ones are wrappers.
    if (unsigned long code = ERR_get_error(); code != 0) {
        char buf[256];
        ERR_error_string_n(code, buf, sizeof buf);
        message += ": ";
        message += buf;
    }
    ERR_clear_error();
    throw error(message);
}

}  // namespace lacme
