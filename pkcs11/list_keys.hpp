// lacme-accountd --list-keys: the tokens a module offers and the keys on them usable as an
// account key, each with the PKCS#11 URI to put in privkey=.
#pragma once

#include "pkcs11/module.hpp"
#include "pkcs11/pin_source.hpp"

#include <optional>
#include <ostream>

namespace lacme::pkcs11 {

struct list_options {
    // When given, tokens that need a login are logged in to, so private keys show up too;
    // without a PIN, key pairs are found through their public key objects.
    const secret_string* pin = nullptr;
};

// Writes one line per token and one indented line per key; returns the number of keys listed.
std::size_t list_keys(const module& mod, const list_options& options, std::ostream& out);

}  // namespace lacme::pkcs11
