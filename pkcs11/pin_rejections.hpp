// SPDX-License-Identifier: GPL-3.0-or-later
// The PINs tokens rejected, remembered across runs: a cron job starts a new lacme-accountd each
// time, and three runs with the same stale PIN file would lock a YubiKey. One file of lines
// "SERIAL-HEX HMAC-HEX" in a 0700 directory, the HMAC-SHA256 of the serial and the PIN under a
// random per-host key kept beside it (pin-rejections.key), both files mode 0600: the PIN itself
// is never written, and the file alone does not allow guessing it offline.
#pragma once

#include "common/secret.hpp"

#include <string>
#include <string_view>

namespace lacme::pkcs11 {

class pin_rejections {
public:
    // dir: created (mode 0700) on the first rejection. Every access takes an exclusive flock on
    // the directory, so concurrent accountd processes do not lose each other's lines.
    explicit pin_rejections(std::string dir);

    // The file a user deletes to forget every rejection.
    [[nodiscard]] std::string file() const;
    // Did the token with this serial reject this PIN? Throws lacme::error when the file cannot
    // be read (then nobody knows, and offering the PIN could lock the token).
    [[nodiscard]] bool contains(std::string_view serial, const secret_string& pin) const;
    // Throws lacme::error unless this process can write in the directory, or create it (its
    // nearest existing ancestor is writable): a rejection that could not be recorded would be
    // offered to the token again by the next run.
    void check_writable() const;
    void add(std::string_view serial, const secret_string& pin) const;
    // The token accepted a PIN: its earlier rejections no longer matter.
    void remove(std::string_view serial) const;

private:
    std::string dir_;
};

}  // namespace lacme::pkcs11
