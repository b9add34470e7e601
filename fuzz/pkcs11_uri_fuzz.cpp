// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes RFC 7512 PKCS#11 URIs (--pkcs11-uri, privkey = pkcs11:...) and the matching that picks
// a module, slot, token and key with them. Input: the URI up to the first newline; the rest fills
// the module, slot and token descriptions it is matched against, and the token and key a URI is
// printed for (--list-keys). Invariants: parse gives a uri or a lacme::error; its text never
// shows a PIN (every pin-value reads "***"), and masking argv in place agrees with that; a URI
// printed for a token and key parses back and selects exactly that token and key.
#include "common/error.hpp"
#include "pkcs11/uri.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

using lacme::pkcs11::uri;

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

// Bytes from the input, in order; zeros once it is used up.
class byte_source {
public:
    explicit byte_source(std::string_view bytes) : bytes_(bytes) {}

    template <class T>
    void fill(T& object)
    {
        static_assert(std::is_trivially_copyable_v<T>);
        std::memset(&object, 0, sizeof object);
        const std::size_t n = std::min(sizeof object, bytes_.size());
        std::memcpy(&object, bytes_.data(), n);
        bytes_.remove_prefix(n);
    }
    // A field of a CK_*_INFO: up to its size of bytes, blank padded as PKCS#11 requires.
    template <std::size_t N>
    void fill_text(unsigned char (&field)[N], std::size_t length)
    {
        std::memset(field, ' ', N);
        const std::size_t n = std::min({N, length, bytes_.size()});
        std::memcpy(field, bytes_.data(), n);
        bytes_.remove_prefix(n);
    }
    std::string take(std::size_t length)
    {
        const std::size_t n = std::min(length, bytes_.size());
        std::string out(bytes_.substr(0, n));
        bytes_.remove_prefix(n);
        return out;
    }
    unsigned char next() { return bytes_.empty() ? 0 : take(1)[0]; }

private:
    std::string_view bytes_;
};

// Every pin-value in a redacted URI (or a message quoting one: in_message) reads "***".
void require_redacted(std::string_view text, bool in_message = false)
{
    constexpr std::string_view name = "pin-value=";
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    for (std::size_t at = lower.find(name); at != std::string::npos; at = lower.find(name, at + 1)) {
        const std::string_view value = text.substr(at + name.size());
        require(value.starts_with("***"));
        require(in_message || value.size() == 3 || value[3] == '&' || value[3] == ';' || value[3] == '?');
    }
}

void exercise(const uri& u, byte_source& bytes)
{
    require_redacted(u.text());
    CK_INFO module_info;
    CK_SLOT_INFO slot_info;
    CK_TOKEN_INFO token_info;
    bytes.fill(module_info);
    bytes.fill(slot_info);
    bytes.fill(token_info);
    (void)u.matches(module_info);
    (void)u.matches(slot_info);
    (void)u.matches(token_info);
    for (const CK_ATTRIBUTE& a : u.object_attributes())  // readable as long as u lives (ASan checks)
        if (a.pValue != nullptr)
            (void)std::count(static_cast<const char*>(a.pValue), static_cast<const char*>(a.pValue) + a.ulValueLen,
                             'x');
    (void)u.names_token();
    (void)u.slot_id();
    (void)u.module_name().size();
    (void)u.module_path().size();
    (void)u.pin_source();
    (void)u.pin_value();
}

std::string_view attribute(const uri& u, CK_ATTRIBUTE_TYPE type)
{
    for (const CK_ATTRIBUTE& a : u.object_attributes())
        if (a.type == type)
            return {static_cast<const char*>(a.pValue), static_cast<std::size_t>(a.ulValueLen)};
    return {};
}

// format() then parse() selects the token and key it was printed for.
void round_trip(byte_source& bytes)
{
    CK_TOKEN_INFO token;
    std::memset(&token, 0, sizeof token);
    bytes.fill_text(token.label, bytes.next() % 33);
    bytes.fill_text(token.serialNumber, bytes.next() % 17);
    // p11-kit takes a field whose first byte is NUL for "not set" (it neither prints nor matches
    // it): a URI cannot name a token with both, which PKCS#11's blank-padded fields never are.
    if (token.label[0] == '\0' && token.serialNumber[0] == '\0')
        return;
    bytes.fill_text(token.manufacturerID, 32);
    bytes.fill_text(token.model, 16);
    const std::string id = bytes.take(bytes.next() % 24);
    const std::string object = bytes.take(bytes.next() % 40);
    const bool private_key = bytes.next() & 1;
    std::string module = bytes.take(bytes.next() % 32);
    module.erase(std::remove(module.begin(), module.end(), '\0'), module.end());  // a file name

    const std::string text = uri::format({token, std::span(reinterpret_cast<const std::uint8_t*>(id.data()), id.size()),
                                          object, private_key, module, ""});
    const uri u = uri::parse(text);  // must not throw
    require(u.matches(token));
    require(u.names_token());
    require(u.module_name() == module);
    require(attribute(u, CKA_ID) == id);
    require(attribute(u, CKA_LABEL) == object);
    require(attribute(u, CKA_CLASS).empty() != private_key);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t nl = std::min(input.find('\n'), input.size());
    const std::string_view text = input.substr(0, nl);
    byte_source bytes(input.substr(std::min(nl + 1, input.size())));

    std::vector<char> argv_copy(text.begin(), text.end());
    uri::mask_pin_values(argv_copy);
    require(argv_copy.size() == text.size());
    require(uri::redact({argv_copy.data(), argv_copy.size()}) == uri::redact(text));
    require_redacted(uri::redact(text));
    try {
        const uri u = uri::parse(text);
        require(u.text() == uri::redact(text));
        exercise(u, bytes);
    } catch (const lacme::error& e) {
        require_redacted(e.what(), true);
    }
    round_trip(bytes);
    return 0;
}
