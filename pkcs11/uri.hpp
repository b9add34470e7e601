// SPDX-License-Identifier: GPL-3.0-or-later
// An RFC 7512 PKCS#11 URI, parsed by p11-kit (p11_kit_uri_*): the key's selection attributes,
// the module to load and where the PIN comes from.
#pragma once

#include "common/secret.hpp"

#include <p11-kit/pkcs11.h>
#include <p11-kit/uri.h>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::pkcs11 {

class uri {
public:
    // Throws pkcs11::error for a malformed URI or one with attributes we do not know (a typo
    // like "objekt=" must not silently widen the selection).
    static uri parse(std::string_view text);
    // An empty URI (matches everything), for building one to print.
    uri();

    // The URI as given, with any pin-value replaced by "***": safe for messages and logs.
    [[nodiscard]] const std::string& text() const noexcept { return text_; }
    [[nodiscard]] std::string_view module_path() const noexcept;
    [[nodiscard]] std::string_view module_name() const noexcept;
    [[nodiscard]] std::optional<std::string_view> pin_value() const noexcept;
    [[nodiscard]] std::optional<std::string_view> pin_source() const noexcept;
    // Wipes the pin-value held since parse(), e.g. once the token refused it.
    void wipe_pin_value() noexcept { pin_value_.reset(); }
    [[nodiscard]] std::optional<CK_SLOT_ID> slot_id() const noexcept;

    [[nodiscard]] bool matches(const CK_INFO& module_info) const noexcept;
    [[nodiscard]] bool matches(const CK_SLOT_INFO& slot_info) const noexcept;
    [[nodiscard]] bool matches(const CK_TOKEN_INFO& token_info) const noexcept;
    // The object attributes in the URI (CKA_CLASS from type=, CKA_LABEL from object=, CKA_ID from
    // id=), usable as a C_FindObjectsInit template. Valid while this uri lives.
    [[nodiscard]] std::span<CK_ATTRIBUTE> object_attributes() const noexcept;
    // Does the URI carry any token selection (token=, serial=, model=, manufacturer=)?
    [[nodiscard]] bool names_token() const noexcept;

    // For printing (--list-keys): a URI that selects a token by serial= and token= (its label),
    // optionally one of its private keys, and the module to load it with.
    struct printed {
        const CK_TOKEN_INFO& token;
        std::span<const std::uint8_t> id = {};  // id=, when not empty
        std::string_view object = {};  // object= (a label), when not empty
        bool private_key = false;  // type=private
        std::string_view module_name = {};  // ?module-name=, when not empty
        std::string_view module_path = {};  // ?module-path=, when not empty
    };
    static std::string format(const printed& what);

    // text without the value of any pin-value, in the path or the query (a PIN in a URI must not
    // reach an error message).
    static std::string redact(std::string_view text);
    // Overwrites the value of every pin-value in text with '*', in place and keeping its length:
    // for a URI in argv, so the process list stops showing the PIN once we have our copy.
    static void mask_pin_values(std::span<char> text) noexcept;

private:
    struct deleter {
        void operator()(P11KitUri* p) const noexcept { p11_kit_uri_free(p); }
    };
    std::unique_ptr<P11KitUri, deleter> uri_;
    std::string text_;
    // Taken out of p11-kit's unwiped memory into locked memory.
    std::optional<secret_string> pin_value_;
};

}  // namespace lacme::pkcs11
