#include "pkcs11/pkcs11_signer.hpp"

namespace lacme::pkcs11 {

pkcs11_signer::pkcs11_signer(std::string_view uri_text, signer_options options)
{
    uri u = uri::parse(uri_text);
    module_ = std::make_unique<module>(resolve_module(u.module_path(), u.module_name(), options.module));
    key_ = std::make_unique<token_key>(*module_, std::move(u), std::move(options.key));
}

pkcs11_signer::~pkcs11_signer()
{
    key_.reset();
    module_->finalize();
}

}  // namespace lacme::pkcs11
