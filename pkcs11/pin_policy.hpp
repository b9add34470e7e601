// SPDX-License-Identifier: GPL-3.0-or-later
// When a user PIN may be offered to a token, shared by signing and --list-keys: never a PIN the
// token rejected before, in this run or an earlier one (pin_rejections); never on the token's
// last try unless the user allowed it; and the words for unlocking the PIN (the PUK on PIV cards
// such as a YubiKey's, the SO PIN elsewhere).
#pragma once

#include "common/secret.hpp"
#include "pkcs11/pin_rejections.hpp"
#include "pkcs11/uri_match.hpp"

#include <optional>
#include <string>

namespace lacme::pkcs11 {

struct pin_settings {
    // Where rejected PINs are remembered across runs (pin-state-dir); empty: within this run only.
    std::string state_dir;
    // Log in even when the token reports CKF_USER_PIN_FINAL_TRY (--allow-final-pin-try).
    bool allow_final_try = false;
};

class pin_policy {
public:
    explicit pin_policy(const pin_settings& settings);

    // Throws pkcs11::error when no PIN may be offered to t now: its PIN is locked, or it is on
    // its final try (unless allowed).
    void check_token(const token_slot& t) const;
    // Throws pkcs11::error when t rejected this very PIN before (in any run).
    void check_pin(const token_slot& t, const secret_string& pin) const;
    // The token rejected pin: remembers it; returns what to add to the error message.
    std::string rejected(const token_slot& t, const secret_string& pin) const;
    // The token accepted a PIN: its earlier rejections are forgotten.
    void accepted(const token_slot& t) const;

private:
    std::optional<pin_rejections> rejections_;
    bool allow_final_try_;
};

// PIV cards (ykcs11, OpenSC's PIV driver) unblock the PIN with a PUK, not an SO PIN.
bool is_piv(const CK_TOKEN_INFO& token);
// "unblock it with the PUK" or "unlock it with the SO PIN".
std::string unlock_hint(const CK_TOKEN_INFO& token);
// The token's PIN counter flags in words ("one more wrong PIN will lock the token"), or "".
std::string pin_flags_text(const CK_TOKEN_INFO& token);

}  // namespace lacme::pkcs11
