// lacme-accountd --list-keys: the tokens a module offers and the keys on them usable as an
// account key, each with the PKCS#11 URI to put in privkey=.
#pragma once

#include "common/secret.hpp"
#include "pkcs11/module.hpp"
#include "pkcs11/uri.hpp"

#include <ostream>

namespace lacme::pkcs11 {

struct list_options {
    // The configured key's URI and its PIN: tokens the URI selects are logged in to, so their
    // private keys show too. Every other token is listed without a login (the PIN is not
    // theirs), and so is every token after one refused the PIN (it is never offered again).
    // Without both, no token is logged in to: key pairs show through their public key objects.
    const uri* selection = nullptr;
    const secret_string* pin = nullptr;
};

// Writes one line per token and one indented line per key; returns the number of keys listed.
std::size_t list_keys(const module& mod, const list_options& options, std::ostream& out);

}  // namespace lacme::pkcs11
