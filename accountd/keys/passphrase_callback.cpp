// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/keys/passphrase_callback.hpp"

#include "common/error.hpp"

#include <cstring>

namespace lacme::accountd {

int passphrase_callback(char* buf, int size, int /*rwflag*/, void* userdata)
{
    auto* request = static_cast<passphrase_request*>(userdata);
    request->asked = true;
    try {
        if (request->source == nullptr || !*request->source)
            throw error("the key is encrypted and no passphrase source is configured");
        const secret_string passphrase = (*request->source)();
        const auto& text = passphrase.reveal();
        if (text.size() > static_cast<std::size_t>(size))
            throw error("passphrase too long");
        std::memcpy(buf, text.data(), text.size());
        return static_cast<int>(text.size());
    } catch (const std::exception& e) {
        request->error = e.what();
        return -1;
    }
}

}  // namespace lacme::accountd
