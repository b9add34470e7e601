// SPDX-License-Identifier: GPL-3.0-or-later
#include "pkcs11/pin_policy.hpp"

#include "pkcs11/error.hpp"

namespace lacme::pkcs11 {
namespace {

// What the rejection file keys a token by: its serial, or its label when it has none.
std::string identity(const CK_TOKEN_INFO& token)
{
    const std::string serial = padded(token.serialNumber);
    return serial.empty() ? "label:" + padded(token.label) : serial;
}

}  // namespace

bool is_piv(const CK_TOKEN_INFO& token)
{
    const std::string manufacturer = padded(token.manufacturerID), label = padded(token.label);
    return manufacturer.starts_with("Yubico") || manufacturer.starts_with("piv_II") ||
           label.starts_with("YubiKey PIV") || label.starts_with("PIV_II");
}

std::string unlock_hint(const CK_TOKEN_INFO& token)
{
    return is_piv(token) ? "unblock it with the PUK" : "unlock it with the SO PIN";
}

std::string pin_flags_text(const CK_TOKEN_INFO& token)
{
    if (token.flags & CKF_USER_PIN_LOCKED)
        return "the user PIN is now LOCKED (" + unlock_hint(token) + ")";
    if (token.flags & CKF_USER_PIN_FINAL_TRY)
        return "one more wrong PIN will lock the token";
    if (token.flags & CKF_USER_PIN_COUNT_LOW)
        return "an earlier wrong PIN was entered; few tries remain";
    return {};
}

pin_policy::pin_policy(const pin_settings& settings) : allow_final_try_(settings.allow_final_try)
{
    if (!settings.state_dir.empty())
        rejections_.emplace(settings.state_dir);
}

void pin_policy::check_token(const token_slot& t) const
{
    if (t.token.flags & CKF_USER_PIN_LOCKED)
        throw error("token " + describe(t) + ": the user PIN is locked (" + unlock_hint(t.token) + ")", CKR_PIN_LOCKED);
    if ((t.token.flags & CKF_USER_PIN_FINAL_TRY) && !allow_final_try_)
        throw error("token " + describe(t) +
                    ": one more wrong PIN will lock it (CKF_USER_PIN_FINAL_TRY); not logging in: check the PIN, then "
                    "run once with --allow-final-pin-try (allow-final-pin-try = yes)");
}

void pin_policy::check_pin(const token_slot& t, const secret_string& pin) const
{
    bool rejected_before = false;
    try {
        if (rejections_)
            rejections_->check_writable();
    } catch (const std::exception& e) {
        // A rejection this run could not record would be offered again by the next one.
        throw error(std::string("cannot keep the record of rejected PINs: ") + e.what() +
                    "; not offering the PIN (set pin-state-dir to a directory this user can write)");
    }
    try {
        rejected_before = rejections_ && rejections_->contains(identity(t.token), pin);
    } catch (const lacme::error& e) {
        // Not knowing is no licence to spend one of the token's few tries.
        throw error(std::string("cannot read the record of rejected PINs: ") + e.what() +
                    "; not offering the PIN (fix its permissions, or set pin-state-dir)");
    }
    if (rejected_before)
        throw error("token " + describe(t) + " rejected this PIN before (recorded in " + rejections_->file() +
                        "); not offering it again: correct the PIN (pin-file, pin-source= or pin-value=), or delete " +
                        rejections_->file() + " if the token's PIN is now this one",
                    CKR_PIN_INCORRECT);
}

std::string pin_policy::rejected(const token_slot& t, const secret_string& pin) const
{
    if (!rejections_)
        return {};
    try {
        rejections_->add(identity(t.token), pin);
        return "recorded in " + rejections_->file() + ": this PIN will not be offered to this token again";
    } catch (const std::exception& e) {
        return std::string("could not record the rejection: ") + e.what();
    }
}

void pin_policy::accepted(const token_slot& t) const
{
    if (!rejections_)
        return;
    try {
        rejections_->remove(identity(t.token));
    } catch (const std::exception&) {
        // Only a cleanup: a stale line for a PIN the token no longer has harms no one.
    }
}

}  // namespace lacme::pkcs11
