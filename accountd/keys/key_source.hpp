// SPDX-License-Identifier: GPL-3.0-or-later
// Turns the `privkey` setting into a signer: file:PATH, gpg:PATH (as lacme-accountd 0.8),
// pkcs11:URI and store:URI (ours).
#pragma once

#include "accountd/settings.hpp"
#include "accountd/keys/signer.hpp"
#include "common/log.hpp"

#include <memory>
#include <ostream>

namespace lacme::accountd {

std::unique_ptr<signer> open_signer(const settings& s, logger& log);

// --list-keys: for privkey = store:URI what that OSSL_STORE offers (list_store_objects), else
// list_pkcs11_keys.
int list_keys(const settings& s, std::ostream& out);

// The tokens and keys the PKCS#11 module (--pkcs11-module, default p11-kit's proxy)
// offers, with their URIs. Logs in only to the tokens a pkcs11: privkey selects, with that key's
// PIN (pin-value, pin-source, pin-file), so their private keys show too; never twice after a
// rejected PIN.
int list_pkcs11_keys(const settings& s, std::ostream& out);

}  // namespace lacme::accountd
