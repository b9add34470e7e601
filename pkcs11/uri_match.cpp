// SPDX-License-Identifier: GPL-3.0-or-later
#include "pkcs11/uri_match.hpp"

#include "common/text.hpp"
#include "pkcs11/error.hpp"

#include <algorithm>

namespace lacme::pkcs11 {
namespace {

std::string join(const std::vector<std::string>& items)
{
    if (items.empty())
        return "none";
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : "; ") + item;
    return out;
}

std::string curve_name(std::span<const std::uint8_t> params)
{
    static constexpr std::uint8_t p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    static constexpr std::uint8_t p384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
    if (std::equal(params.begin(), params.end(), std::begin(p256), std::end(p256)))
        return "P-256";
    if (std::equal(params.begin(), params.end(), std::begin(p384), std::end(p384)))
        return "P-384";
    return "unsupported curve";
}

bool has_object(const module& mod, const token_slot& t, const uri& u)
{
    try {
        // Private keys are invisible before login: look for any object with the label/id.
        std::vector<CK_ATTRIBUTE> tmpl;
        for (const CK_ATTRIBUTE& a : u.object_attributes())
            if (a.type != CKA_CLASS)
                tmpl.push_back(a);
        const session s(mod, t.slot);
        return !s.find(tmpl, 1).empty();
    } catch (const error&) {
        return false;
    }
}

}  // namespace

std::vector<token_slot> list_tokens(const module& mod)
{
    std::vector<token_slot> tokens;
    for (const CK_SLOT_ID slot : mod.slots_with_token()) {
        CK_TOKEN_INFO info{};
        // A slot whose token vanished since C_GetSlotList is simply not there.
        if (mod.functions()->C_GetTokenInfo(slot, &info) != CKR_OK)
            continue;
        if (!(info.flags & CKF_TOKEN_INITIALIZED))
            continue;
        tokens.push_back({slot, info});
    }
    return tokens;
}

std::string describe(const token_slot& t)
{
    return "'" + padded(t.token.label) + "' (" + padded(t.token.manufacturerID) + " " + padded(t.token.model) +
           ", serial " + padded(t.token.serialNumber) + ", slot " + std::to_string(t.slot) + ")";
}

bool selects(const module& mod, const uri& u, const token_slot& t)
{
    if (auto id = u.slot_id(); id && *id != t.slot)
        return false;
    return u.matches(mod.info()) && u.matches(slot_info(mod, t.slot)) && u.matches(t.token);
}

token_slot select_token(const module& mod, const uri& u)
{
    if (!u.matches(mod.info()))
        throw error("PKCS#11 URI '" + u.text() + "' does not match module " + mod.path() + " (library-* attributes)");
    const auto tokens = list_tokens(mod);
    std::vector<token_slot> matches;
    for (const auto& t : tokens)
        if (selects(mod, u, t))
            matches.push_back(t);
    if (matches.size() > 1 && !u.names_token()) {
        std::vector<token_slot> with_object;
        for (const auto& t : matches)
            if (has_object(mod, t, u))
                with_object.push_back(t);
        if (with_object.size() == 1)
            matches = with_object;
    }
    if (matches.size() == 1)
        return matches.front();

    std::vector<std::string> found;
    for (const auto& t : (matches.empty() ? tokens : matches))
        found.push_back(describe(t));
    if (matches.empty())
        throw error("no token matches '" + u.text() + "' in " + mod.path() + "; tokens found: " + join(found));
    throw error("several tokens match '" + u.text() + "' (add token= or serial=): " + join(found));
}

std::string describe_key(const session& s, CK_OBJECT_HANDLE object)
{
    std::string out = "label '" + s.attribute_string(object, CKA_LABEL) + "'";
    if (auto id = s.attribute(object, CKA_ID); id && !id->empty())
        out += ", id " + hex_lower(*id);
    const auto cls = s.attribute_ulong(object, CKA_CLASS);
    const auto type = s.attribute_ulong(object, CKA_KEY_TYPE);
    if (type == CKK_RSA) {
        std::size_t bits = 0;
        if (auto n = s.attribute(object, CKA_MODULUS))
            bits = n->size() * 8;
        else if (auto b = s.attribute_ulong(object, CKA_MODULUS_BITS))
            bits = *b;
        out += ", RSA";
        if (bits)
            out += "-" + std::to_string(bits);
    } else if (type == CKK_EC) {
        const auto params = s.attribute(object, CKA_EC_PARAMS);
        out += ", EC " + (params ? curve_name(*params) : std::string("(no curve)"));
    } else if (type) {
        out += ", key type " + std::to_string(*type);
    }
    if (cls == CKO_PRIVATE_KEY)
        out += " private key";
    else if (cls == CKO_PUBLIC_KEY)
        out += " public key";
    else if (cls == CKO_CERTIFICATE)
        out += " certificate";
    return out;
}

CK_OBJECT_HANDLE select_private_key(const session& s, const uri& u, std::string_view token_description)
{
    std::vector<CK_ATTRIBUTE> tmpl;
    bool has_class = false;
    for (const CK_ATTRIBUTE& a : u.object_attributes()) {
        if (a.type == CKA_CLASS) {
            has_class = true;
            if (a.ulValueLen != sizeof(CK_OBJECT_CLASS) ||
                *static_cast<const CK_OBJECT_CLASS*>(a.pValue) != CKO_PRIVATE_KEY)
                throw error("PKCS#11 URI '" + u.text() + "': the account key must be type=private");
        }
        tmpl.push_back(a);
    }
    CK_OBJECT_CLASS private_key = CKO_PRIVATE_KEY;
    if (!has_class)
        tmpl.push_back({CKA_CLASS, &private_key, sizeof private_key});
    const auto found = s.find(tmpl, 16);
    if (found.size() == 1)
        return found.front();

    CK_ATTRIBUTE any_private{CKA_CLASS, &private_key, sizeof private_key};
    std::vector<std::string> keys;
    for (const auto object : (found.empty() ? s.find({&any_private, 1}) : found))
        keys.push_back(describe_key(s, object));
    std::sort(keys.begin(), keys.end());  // stable messages, whatever order the token uses
    if (found.empty())
        throw error("no private key matches '" + u.text() + "' on token " + std::string(token_description) +
                    "; private keys found: " + join(keys));
    throw error("several private keys match '" + u.text() + "' on token " + std::string(token_description) +
                " (add object= or id=): " + join(keys));
}

}  // namespace lacme::pkcs11
