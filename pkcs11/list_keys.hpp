// SPDX-License-Identifier: GPL-3.0-or-later
// lacme-accountd --list-keys: the tokens a module offers and the keys on them usable as an
// account key, each with the PKCS#11 URI to put in privkey=.
#pragma once

#include "common/secret.hpp"
#include "pkcs11/module.hpp"
#include "pkcs11/pin_policy.hpp"
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
    // As for signing: a PIN a token rejected in an earlier run is not offered, nor one on its
    // final try; a rejection is remembered. nullptr: remembered within this listing only.
    const pin_policy* policy = nullptr;
    // Carried into every key URI printed (?module-name= / ?module-path=), so that a URI pasted
    // as privkey loads the module the keys were listed through.
    std::string module_name = {};
    std::string module_path = {};
};

// The module --list-keys reads, chosen as for signing: the configured URI's module-path= or
// module-name=, else the configured module, else p11-kit's proxy. Sets options' module_name and
// module_path to what the printed URIs must carry. Returns the module's path.
std::string listing_module(const uri* configured, std::string_view configured_module, list_options& options);

// Writes, per token, a line describing it and its URI, then per key a line describing it and
// its URI: "pkcs11:serial=S;token=LABEL;id=%02;type=private" (object= too when the id does not
// tell the key apart). Returns the number of keys listed.
std::size_t list_keys(const module& mod, const list_options& options, std::ostream& out);

}  // namespace lacme::pkcs11
