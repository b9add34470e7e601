// SPDX-License-Identifier: GPL-3.0-or-later
// The account key on a PKCS#11 token: selected by URI, logged in, signing JWS inputs from many
// threads. Each signature runs on its own session taken from a small pool (sessions are never
// shared between threads); one extra "anchor" session is kept open because closing a token's
// last session logs it out. On the errors doc/pkcs11.md lists under "Token behaviour notes"
// (logout, vanished session, re-plugged device) the key re-selects the token, logs in again and
// retries once. A rejected PIN is never tried again, on any login path: it is wiped, every
// later sign() fails at once with the token's answer, and pin_policy remembers it for later runs.
// Keys that need a login per signature (CKA_ALWAYS_AUTHENTICATE, or found to answer C_Sign with
// CKR_USER_NOT_LOGGED_IN as YubiKey PIV keys with PIN policy "always" do) sign one at a time:
// ykcs11 keeps one authorisation per card, which another session's signature would consume.
#pragma once

#include "common/jwk.hpp"
#include "pkcs11/error.hpp"
#include "pkcs11/module.hpp"
#include "pkcs11/pin_policy.hpp"
#include "pkcs11/pin_source.hpp"
#include "pkcs11/public_key.hpp"
#include "pkcs11/session.hpp"
#include "pkcs11/uri.hpp"
#include "pkcs11/uri_match.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::pkcs11 {

enum class rsa_mechanism {
    automatic,  // CKM_SHA256_RSA_PKCS when the token has it, else CKM_RSA_PKCS
    sha256_rsa_pkcs,  // the token hashes
    rsa_pkcs,  // we hash and wrap the digest in a DigestInfo
};

struct key_options {
    // PIN file (config key pin-file), used when the URI has no pin-value/pin-source.
    std::string pin_file;
    // Rejected PINs remembered across runs, and whether the final try may be used.
    pin_settings pins;
    // Ask on the terminal when stdin is a tty and no other PIN source is given.
    bool allow_prompt = true;
    // Sessions used for signing at once (plus the anchor); bounded by the token's own limit.
    std::size_t max_sessions = 8;
    rsa_mechanism rsa = rsa_mechanism::automatic;
    // Non-fatal notices (PIN retry counter low, final try, re-login after a token error); may be
    // called from any signing thread. Never receives the PIN.
    std::function<void(std::string_view)> warn;
};

class token_key {
public:
    // Selects the token and key, logs in and reads the public key; throws pkcs11::error.
    // mod must outlive this object.
    token_key(const module& mod, uri u, key_options options);
    token_key(const token_key&) = delete;
    token_key& operator=(const token_key&) = delete;
    // Closes every session and logs out. No sign() may be running.
    ~token_key();

    [[nodiscard]] jws_algorithm algorithm() const noexcept { return public_.alg; }
    [[nodiscard]] const nlohmann::json& jwk() const noexcept { return public_.jwk; }
    [[nodiscard]] const std::string& description() const noexcept { return description_; }
    [[nodiscard]] CK_MECHANISM_TYPE mechanism() const noexcept { return mechanism_; }
    [[nodiscard]] bool always_authenticate() const noexcept { return always_authenticate_; }
    [[nodiscard]] CK_SLOT_ID slot() const;
    // How often the key re-opened its sessions after a token error (for tests and logs).
    [[nodiscard]] std::uint64_t reconnects() const;

    // The JWS signature of signing_input; safe to call from many threads. Throws pkcs11::error.
    [[nodiscard]] std::vector<std::uint8_t> sign(std::string_view signing_input);

private:
    struct lease {
        std::optional<session> s;
        std::uint64_t generation;
        CK_OBJECT_HANDLE key;
    };

    void connect_locked(bool first);
    void login_locked(const session& anchor, const token_slot& t);
    const secret_string* pin_locked(const token_slot& t);
    void warn_if_pin_file_shared() const;
    [[noreturn]] void refuse_locked(const error& e);
    // Refuses (for good) a token whose PIN is locked or on its final try, unless allowed.
    void check_token_locked(const token_slot& t);
    [[noreturn]] void login_failed_locked(const error& e, const std::string& what);
    lease acquire(std::uint64_t& generation);
    void release(lease& l, bool reusable) noexcept;
    void reconnect(std::uint64_t failed_generation, std::string_view why);
    // The token's description when the key's token is still in its slot (same serial).
    [[nodiscard]] std::optional<std::string> token_if_still_present() const;
    std::vector<std::uint8_t> to_be_signed(std::string_view signing_input) const;
    std::vector<std::uint8_t> sign_on_lease(std::span<const std::uint8_t> data, bool context_login,
                                            std::uint64_t& generation);
    std::vector<std::uint8_t> sign_once(const session& s, CK_OBJECT_HANDLE key, std::span<const std::uint8_t> data,
                                        bool context_login);
    void context_login_locked(const session& s);

    const module& mod_;
    uri uri_;  // changes only to wipe a refused pin-value
    key_options options_;
    pin_policy policy_;

    // Fixed once constructed.
    token_public_key public_{};
    std::string description_;
    CK_MECHANISM_TYPE mechanism_ = 0;
    std::size_t max_sessions_ = 1;
    // The token allows one session only: the anchor is also the signing session.
    bool single_session_ = false;

    // Set at start from CKA_ALWAYS_AUTHENTICATE, or later when the token asks for it.
    std::atomic<bool> always_authenticate_ = false;
    // Held across C_SignInit, the context-specific login and C_Sign of such keys.
    std::mutex one_authorisation_;
    mutable std::mutex mutex_;
    std::condition_variable session_freed_;
    std::optional<secret_string> pin_;
    bool protected_path_ = false;
    bool connected_ = false;
    std::uint64_t generation_ = 0;
    token_slot token_{};  // as found by the last connect
    CK_OBJECT_HANDLE key_ = CK_INVALID_HANDLE;
    std::optional<session> anchor_;
    std::optional<login> login_;  // after anchor_: logs out before the anchor session closes
    std::vector<session> idle_;
    std::size_t leased_ = 0;
    // Set when the token rejected the PIN (any login) or the key changed: every later sign()
    // fails with it.
    std::string broken_;
    CK_RV broken_rv_ = CKR_OK;
};

}  // namespace lacme::pkcs11
