// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/keys/pkcs11_signer.hpp"

namespace lacme::accountd {

pkcs11_signer::pkcs11_signer(std::string_view uri_text, pkcs11::load_options options)
    : loaded_(uri_text, std::move(options))
{}

std::vector<std::uint8_t> pkcs11_signer::sign(std::string_view signing_input)
{
    return loaded_.key().sign(signing_input);
}

}  // namespace lacme::accountd
