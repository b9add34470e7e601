// SPDX-License-Identifier: GPL-3.0-or-later
#include "pkcs11/uri.hpp"

#include "pkcs11/error.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

namespace lacme::pkcs11 {
namespace {

std::string_view uri_result_name(int result)
{
    switch (result) {
    case P11_KIT_URI_BAD_SCHEME: return "not a pkcs11: URI";
    case P11_KIT_URI_BAD_ENCODING: return "bad percent-encoding";
    case P11_KIT_URI_BAD_SYNTAX: return "bad syntax";
    case P11_KIT_URI_BAD_VERSION: return "bad library version";
    case P11_KIT_URI_NOT_FOUND: return "attribute not found";
    default: return "cannot parse";
    }
}

// p11-kit keeps query attributes it does not know as vendor attributes, without a word: a typo
// such as "modul-name=" would silently load another module. Names are compared as written,
// before percent-decoding, which is how RFC 7512 spells every standard one.
std::string unknown_query_attributes(std::string_view text)
{
    static constexpr std::string_view known[] = {"module-name", "module-path", "pin-source", "pin-value"};
    const auto question = text.find('?');
    if (question == std::string_view::npos)
        return {};
    std::string unknown;
    std::string_view query = text.substr(question + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view item = query.substr(0, amp);
        // p11-kit has refused items without '=' already.
        const std::string_view name = item.substr(0, item.find('='));
        if (!name.empty() && std::find(std::begin(known), std::end(known), name) == std::end(known))
            unknown.append(unknown.empty() ? "" : ", ").append(name);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    return unknown;
}

}  // namespace

uri::uri() : uri_(p11_kit_uri_new())
{
    if (!uri_)
        throw error("p11_kit_uri_new: out of memory");
}

namespace {

// Calls found(begin, end) with the offsets of every pin-value's value in text. p11-kit takes
// pin-value both in the query (…?pin-value=1234&…) and in the path (…;pin-value=1234;…): every
// occurrence counts, its name matched without regard to case.
template <class Found>
void for_each_pin_value(std::string_view text, Found found)
{
    constexpr std::string_view name = "pin-value=";
    const auto same = [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; };
    const auto query = text.find('?');
    for (std::size_t pos = 0;;) {
        const auto at =
            std::search(text.begin() + static_cast<std::ptrdiff_t>(pos), text.end(), name.begin(), name.end(), same);
        if (at == text.end())
            return;
        const auto value = static_cast<std::size_t>(at - text.begin()) + name.size();
        const bool in_query = query != std::string_view::npos && value > query;
        pos = std::min(text.find_first_of(in_query ? "&" : ";?", value), text.size());
        found(value, pos);
    }
}

}  // namespace

std::string uri::redact(std::string_view text)
{
    // Built piece by piece, so the PIN is never copied into it (not even past its end).
    std::string out;
    std::size_t kept = 0;
    for_each_pin_value(text, [&](std::size_t begin, std::size_t end) {
        out.append(text.substr(kept, begin - kept)).append("***");
        kept = end;
    });
    return out.append(text.substr(kept));
}

void uri::mask_pin_values(std::span<char> text) noexcept
{
    for_each_pin_value({text.data(), text.size()}, [&](std::size_t begin, std::size_t end) {
        std::fill(text.begin() + static_cast<std::ptrdiff_t>(begin), text.begin() + static_cast<std::ptrdiff_t>(end),
                  '*');
    });
}

uri uri::parse(std::string_view text)
{
    uri result;
    result.text_ = redact(text);
    // Copies that may hold the PIN stay in locked memory; p11-kit's own copy is wiped below.
    const secret_string raw(text);
    const int rv = p11_kit_uri_parse(raw.c_str(), P11_KIT_URI_FOR_ANY, result.uri_.get());
    if (rv != P11_KIT_URI_OK)
        throw error("invalid PKCS#11 URI '" + result.text_ + "': " + std::string(uri_result_name(rv)));
    if (p11_kit_uri_any_unrecognized(result.uri_.get()))
        throw error("PKCS#11 URI '" + result.text_ + "' has attributes this program does not know");
    if (const auto unknown = unknown_query_attributes(result.text_); !unknown.empty())
        throw error("PKCS#11 URI '" + result.text_ + "' has unknown query attributes: " + unknown +
                    " (known: module-name, module-path, pin-source, pin-value)");
    if (const char* pin = p11_kit_uri_get_pin_value(result.uri_.get())) {
        result.pin_value_.emplace(std::string_view(pin));
        // p11-kit frees its copy without wiping it: overwrite it first.
        OPENSSL_cleanse(const_cast<char*>(pin), std::strlen(pin));
        p11_kit_uri_set_pin_value(result.uri_.get(), nullptr);
    }
    return result;
}

std::string_view uri::module_path() const noexcept
{
    const char* v = p11_kit_uri_get_module_path(uri_.get());
    return v ? v : "";
}

std::string_view uri::module_name() const noexcept
{
    const char* v = p11_kit_uri_get_module_name(uri_.get());
    return v ? v : "";
}

std::optional<std::string_view> uri::pin_value() const noexcept
{
    return pin_value_ ? std::optional<std::string_view>(pin_value_->reveal()) : std::nullopt;
}

std::optional<std::string_view> uri::pin_source() const noexcept
{
    const char* v = p11_kit_uri_get_pin_source(uri_.get());
    return v ? std::optional<std::string_view>(v) : std::nullopt;
}

std::optional<CK_SLOT_ID> uri::slot_id() const noexcept
{
    const CK_SLOT_ID id = p11_kit_uri_get_slot_id(uri_.get());
    return id == static_cast<CK_SLOT_ID>(-1) ? std::nullopt : std::optional<CK_SLOT_ID>(id);
}

bool uri::matches(const CK_INFO& module_info) const noexcept
{
    return p11_kit_uri_match_module_info(uri_.get(), &module_info) != 0;
}

bool uri::matches(const CK_SLOT_INFO& slot_info) const noexcept
{
    // slot-id= is compared by the caller, which knows the slot's ID.
    return p11_kit_uri_match_slot_info(uri_.get(), &slot_info) != 0;
}

bool uri::matches(const CK_TOKEN_INFO& token_info) const noexcept
{
    return p11_kit_uri_match_token_info(uri_.get(), &token_info) != 0;
}

std::span<CK_ATTRIBUTE> uri::object_attributes() const noexcept
{
    CK_ULONG n = 0;
    CK_ATTRIBUTE* attrs = p11_kit_uri_get_attributes(uri_.get(), &n);
    return {attrs, static_cast<std::size_t>(n)};
}

bool uri::names_token() const noexcept
{
    // p11-kit keeps unset token fields as all-zero; a set field is space padded.
    const CK_TOKEN_INFO* t = p11_kit_uri_get_token_info(uri_.get());
    const auto set = [](const auto& field) { return field[0] != 0; };
    return set(t->label) || set(t->manufacturerID) || set(t->model) || set(t->serialNumber);
}

std::string uri::format(const printed& what)
{
    // Model and manufacturer are left out: serial and label select the token, and the model
    // text changes with firmware versions.
    uri u;
    CK_TOKEN_INFO* t = p11_kit_uri_get_token_info(u.uri_.get());
    std::memcpy(t->label, what.token.label, sizeof t->label);
    std::memcpy(t->serialNumber, what.token.serialNumber, sizeof t->serialNumber);
    if (!what.id.empty()) {
        CK_ATTRIBUTE a{CKA_ID, const_cast<std::uint8_t*>(what.id.data()), static_cast<CK_ULONG>(what.id.size())};
        p11_kit_uri_set_attribute(u.uri_.get(), &a);
    }
    if (!what.object.empty()) {
        CK_ATTRIBUTE a{CKA_LABEL, const_cast<char*>(what.object.data()), static_cast<CK_ULONG>(what.object.size())};
        p11_kit_uri_set_attribute(u.uri_.get(), &a);
    }
    CK_OBJECT_CLASS private_key = CKO_PRIVATE_KEY;
    if (what.private_key) {
        CK_ATTRIBUTE a{CKA_CLASS, &private_key, sizeof private_key};
        p11_kit_uri_set_attribute(u.uri_.get(), &a);
    }
    const std::string name(what.module_name), path(what.module_path);
    if (!name.empty())
        p11_kit_uri_set_module_name(u.uri_.get(), name.c_str());
    if (!path.empty())
        p11_kit_uri_set_module_path(u.uri_.get(), path.c_str());
    char* out = nullptr;
    const bool names_object = !what.id.empty() || !what.object.empty() || what.private_key;
    if (p11_kit_uri_format(u.uri_.get(), names_object ? P11_KIT_URI_FOR_OBJECT_ON_TOKEN : P11_KIT_URI_FOR_TOKEN,
                           &out) != P11_KIT_URI_OK ||
        out == nullptr)
        throw error("cannot format a PKCS#11 URI");
    std::string result(out);
    std::free(out);
    return result;
}

}  // namespace lacme::pkcs11
