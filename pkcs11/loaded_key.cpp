// SPDX-License-Identifier: GPL-3.0-or-later
#include "pkcs11/loaded_key.hpp"

namespace lacme::pkcs11 {

loaded_key::loaded_key(std::string_view uri_text, load_options options)
{
    uri u = uri::parse(uri_text);
    module_ = std::make_unique<module>(resolve_module(u.module_path(), u.module_name(), options.module));
    key_ = std::make_unique<token_key>(*module_, std::move(u), std::move(options.key));
}

loaded_key::~loaded_key()
{
    key_.reset();
    module_->finalize();
}

}  // namespace lacme::pkcs11
