// SPDX-License-Identifier: GPL-3.0-or-later
// The OpenSSL side of asking for a key's passphrase or PIN: a pem_password_cb that consults
// lacme's passphrase source (a file or the terminal, never argv) and remembers why it failed,
// so the caller can report that instead of OpenSSL's "bad decrypt".
#pragma once

#include "common/secret.hpp"

#include <functional>
#include <string>

namespace lacme::accountd {

using passphrase_source = std::function<secret_string()>;

struct passphrase_request {
    const passphrase_source* source = nullptr;
    std::string error;  // set when the source failed
    bool asked = false;
};

// pem_password_cb; userdata is a passphrase_request.
int passphrase_callback(char* buf, int size, int rwflag, void* userdata);

}  // namespace lacme::accountd
