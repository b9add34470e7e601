// SPDX-License-Identifier: GPL-3.0-or-later
// Turns the `privkey` setting into a signer: file:PATH, gpg:PATH (as lacme-accountd 0.8),
// pkcs11:URI and store:URI (ours).
#pragma once

#include "accountd/settings.hpp"
#include "accountd/keys/signer.hpp"
#include "common/log.hpp"
#include "common/percent_expand.hpp"

#include <memory>
#include <ostream>
#include <string>

namespace lacme::accountd {

std::unique_ptr<signer> open_signer(const settings& s, logger& log);

// Where a pkcs11: key's token remembers rejected PINs (--pin-state-dir, %-expanded).
std::string pin_state_directory(const settings& s, const percent_expander& expander);

// --list-keys: for privkey = store:URI what that OSSL_STORE offers (list_store_objects), else
// list_pkcs11_keys.
int list_keys(const settings& s, std::ostream& out);

// The tokens and keys the PKCS#11 module (--pkcs11-module, default p11-kit's proxy)
// offers, with their URIs. Logs in only to the tokens a pkcs11: privkey selects, with that key's
// PIN (pin-value, pin-source, pin-file), so their private keys show too; never twice after a
// rejected PIN.
int list_pkcs11_keys(const settings& s, std::ostream& out);

}  // namespace lacme::accountd
