// SPDX-License-Identifier: GPL-3.0-or-later
// The PKCS#11 layer's error: a lacme::error whose message names the failed call and the CKR_*
// code (e.g. "C_Login: CKR_PIN_INCORRECT"), keeping the code for callers that act on it.
#pragma once

#include "common/error.hpp"

#include <p11-kit/pkcs11.h>

#include <string>
#include <string_view>

namespace lacme::pkcs11 {

class error : public lacme::error {
public:
    // rv == CKR_OK for errors that are not a token's answer (bad URI, no match, ...).
    error(const std::string& message, CK_RV rv = CKR_OK) : lacme::error(message), rv_(rv) {}

    [[nodiscard]] CK_RV rv() const noexcept { return rv_; }
    // The token logged out, the session vanished, the key handle went stale or the device went
    // away: worth one re-open, re-login and retry (doc/pkcs11.md, "Token behaviour notes").
    [[nodiscard]] bool reopenable() const noexcept;
    // The token refused the PIN (wrong, expired, locked, malformed): offering it again would
    // only spend another of the few tries before the token locks.
    [[nodiscard]] bool pin_rejected() const noexcept;

private:
    CK_RV rv_;
};

// "CKR_PIN_INCORRECT", or "CKR_0x000000AB" for codes we do not name.
std::string rv_name(CK_RV rv);

// Throws error("WHAT: CKR_NAME", rv) unless rv == CKR_OK.
void check(CK_RV rv, std::string_view what);

}  // namespace lacme::pkcs11
