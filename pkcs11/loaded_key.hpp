// SPDX-License-Identifier: GPL-3.0-or-later
// The key a privkey URI names, together with the module it was loaded from: loads the module
// (the URI's module-path/module-name, else the configured one, else p11-kit's proxy), selects
// and logs in to the key, and tears both down in order (sessions, logout, C_Finalize) when
// destroyed — which must happen before main returns, never from a static destructor.
#pragma once

#include "pkcs11/module.hpp"
#include "pkcs11/token_key.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace lacme::pkcs11 {

struct load_options {
    // --pkcs11-module / pkcs11-module; the URI's module-path/module-name win over it.
    std::string module;
    key_options key;
};

class loaded_key {
public:
    // uri_text: the whole "pkcs11:..." value of privkey. Throws pkcs11::error.
    loaded_key(std::string_view uri_text, load_options options);
    loaded_key(const loaded_key&) = delete;
    loaded_key& operator=(const loaded_key&) = delete;
    ~loaded_key();

    [[nodiscard]] token_key& key() noexcept { return *key_; }
    [[nodiscard]] const token_key& key() const noexcept { return *key_; }

private:
    // Declared first, destroyed last: the key's sessions close before C_Finalize.
    std::unique_ptr<module> module_;
    std::unique_ptr<token_key> key_;
};

}  // namespace lacme::pkcs11
