// SPDX-License-Identifier: GPL-3.0-or-later
// Choosing the one token and the one private key a URI names. Zero or several matches are
// errors that list what was found, never a guess.
#pragma once

#include "pkcs11/module.hpp"
#include "pkcs11/session.hpp"
#include "pkcs11/uri.hpp"

#include <string>
#include <vector>

namespace lacme::pkcs11 {

struct token_slot {
    CK_SLOT_ID slot;
    CK_TOKEN_INFO token;
};

// Initialised tokens in slots with a token present.
std::vector<token_slot> list_tokens(const module& mod);

// "'acme' (SoftHSM project SoftHSM v2, serial 1a2b..., slot 7)"
std::string describe(const token_slot& t);

// Do u's module, slot and token attributes all match t? (Its object attributes are not looked at.)
bool selects(const module& mod, const uri& u, const token_slot& t);

// The single token u selects (module info, slot and token attributes). When several match and
// the URI names no token, the one on which an object with the URI's label/id is visible before
// login wins, if exactly one does. Throws pkcs11::error listing the candidates otherwise.
token_slot select_token(const module& mod, const uri& u);

// Human summary of a key object: "label 'account', id 02, EC P-256 private key".
std::string describe_key(const session& s, CK_OBJECT_HANDLE object);

// The single private key u selects on s's token (the URI's type=, if any, must be private).
// Throws pkcs11::error listing the private keys present otherwise.
CK_OBJECT_HANDLE select_private_key(const session& s, const uri& u, std::string_view token_description);

}  // namespace lacme::pkcs11
