// SPDX-License-Identifier: GPL-3.0-or-later
// --list-keys for privkey = store:URI: what the OSSL_STORE at that URI offers (a key and what
// lies beside it, or the entries of a directory-like store), one line each, with the JWS
// algorithm of every usable private key.
#pragma once

#include "accountd/keys/passphrase_callback.hpp"
#include "accountd/keys/provider_context.hpp"

#include <ostream>
#include <string>

namespace lacme::accountd {

// uri: what follows "store:". Throws lacme::error when the store cannot be read.
void list_store_objects(const provider_context& providers, const std::string& uri, passphrase_source passphrase,
                        std::ostream& out);

}  // namespace lacme::accountd
