// SPDX-License-Identifier: GPL-3.0-or-later
// A loaded and initialised PKCS#11 module (dlopen + C_GetFunctionList + C_Initialize). The
// function list lives here, not in a global. Tear it down explicitly (finalize() or destruction
// before main returns): SoftHSM crashes if C_Finalize runs after its own static destructors.
#pragma once

#include <p11-kit/pkcs11.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::pkcs11 {

// Which module to load, most specific first: the URI's module-path, the URI's module-name, the
// configured module (--pkcs11-module / pkcs11-module), then p11-kit's proxy, which exposes
// every module registered with p11-kit. Returns a path (or a bare file name for dlopen's search).
std::string resolve_module(std::string_view uri_module_path, std::string_view uri_module_name,
                           std::string_view configured);

// p11-kit's proxy module, the default.
std::string_view default_module() noexcept;

class module {
public:
    // Throws pkcs11::error naming path when it cannot be loaded, is not a PKCS#11 module, or
    // refuses to initialise.
    explicit module(std::string path);
    module(const module&) = delete;
    module& operator=(const module&) = delete;
    ~module();

    // C_Finalize (if this object initialised the module) and dlclose; idempotent. Every session
    // opened through this module must be closed first.
    void finalize() noexcept;

    // Never null while the module is loaded.
    [[nodiscard]] CK_FUNCTION_LIST* functions() const noexcept { return functions_; }
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] CK_INFO info() const;
    // Slots with a token present. ykcs11 without pcscd answers CKR_DEVICE_ERROR here: that comes
    // back as a pkcs11::error saying no token is reachable.
    [[nodiscard]] std::vector<CK_SLOT_ID> slots_with_token() const;

private:
    struct dl_closer {
        void operator()(void* handle) const noexcept;
    };

    std::string path_;
    std::unique_ptr<void, dl_closer> handle_;
    CK_FUNCTION_LIST* functions_ = nullptr;
    // False when another user in this process had initialised the module already
    // (CKR_CRYPTOKI_ALREADY_INITIALIZED): then finalising is theirs to do.
    bool owns_initialization_ = false;
};

}  // namespace lacme::pkcs11
