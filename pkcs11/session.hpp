// SPDX-License-Identifier: GPL-3.0-or-later
// RAII for a PKCS#11 session and for a user login, plus the attribute and object-search calls
// made through a session. A session is used by one thread at a time (doc/pkcs11.md, "Token
// behaviour notes"); the module must outlive every session opened through it.
#pragma once

#include "common/secret.hpp"
#include "pkcs11/module.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lacme::pkcs11 {

class session {
public:
    // Opens a read-only serial session on slot; throws pkcs11::error.
    session(const module& mod, CK_SLOT_ID slot);
    session(session&& other) noexcept;
    session& operator=(session&& other) noexcept;
    session(const session&) = delete;
    session& operator=(const session&) = delete;
    ~session();

    [[nodiscard]] CK_SESSION_HANDLE handle() const noexcept { return handle_; }
    [[nodiscard]] CK_SLOT_ID slot() const noexcept { return slot_; }
    [[nodiscard]] CK_FUNCTION_LIST* fn() const noexcept { return fn_; }

    // Up to max objects matching the template (empty template: every visible object).
    [[nodiscard]] std::vector<CK_OBJECT_HANDLE> find(std::span<CK_ATTRIBUTE> tmpl, std::size_t max = 64) const;
    // An attribute's value; nullopt when the object has no such attribute or hides it.
    [[nodiscard]] std::optional<std::vector<std::uint8_t>> attribute(CK_OBJECT_HANDLE object,
                                                                     CK_ATTRIBUTE_TYPE type) const;
    [[nodiscard]] std::optional<CK_ULONG> attribute_ulong(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) const;
    [[nodiscard]] bool attribute_bool(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) const;
    [[nodiscard]] std::string attribute_string(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) const;

private:
    void close() noexcept;

    CK_FUNCTION_LIST* fn_ = nullptr;
    CK_SLOT_ID slot_ = 0;
    CK_SESSION_HANDLE handle_ = CK_INVALID_HANDLE;
};

// Logs the user in through a session (the login then covers every session of this application
// on the token) and out again on destruction. pin == nullptr: protected authentication path
// (the PIN is entered on the reader's keypad). A token already logged in is accepted, and then
// not logged out by us.
class login {
public:
    login(const session& s, const secret_string* pin);
    login(const login&) = delete;
    login& operator=(const login&) = delete;
    ~login();

    // The token already logged us out (all sessions closed): nothing to undo.
    void forget() noexcept { logged_in_by_us_ = false; }

private:
    CK_FUNCTION_LIST* fn_;
    CK_SESSION_HANDLE handle_;
    bool logged_in_by_us_ = false;
};

// C_Login(CKU_CONTEXT_SPECIFIC) right after C_SignInit, for keys with CKA_ALWAYS_AUTHENTICATE.
void context_login(const session& s, const secret_string* pin);

// Token info for slot; throws pkcs11::error.
CK_TOKEN_INFO token_info(const module& mod, CK_SLOT_ID slot);
CK_SLOT_INFO slot_info(const module& mod, CK_SLOT_ID slot);

// A blank-padded PKCS#11 text field as a string without the padding.
template <std::size_t N>
std::string padded(const unsigned char (&field)[N])
{
    std::string s(reinterpret_cast<const char*>(field), N);
    const auto end = s.find_last_not_of(" \0", std::string::npos, 2);
    return end == std::string::npos ? std::string() : s.substr(0, end + 1);
}

}  // namespace lacme::pkcs11
