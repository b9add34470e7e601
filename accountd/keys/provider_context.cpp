// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountd/keys/provider_context.hpp"

#include "common/openssl_error.hpp"

#include <openssl/conf.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>

namespace lacme::accountd {
namespace {

void load_user_config(OSSL_LIB_CTX* libctx)
{
    // OPENSSL_CONF when set (then it must load), else the system file if there is one.
    const openssl_memory_ptr<char> path(CONF_get1_default_config_file());
    struct stat st {};
    if (!path || (std::getenv("OPENSSL_CONF") == nullptr && ::stat(path.get(), &st) != 0))
        return;
    if (OSSL_LIB_CTX_load_config(libctx, path.get()) != 1)
        throw_openssl(std::string("loading the OpenSSL configuration ") + path.get());
}

}  // namespace

provider_context::provider_context(const std::vector<std::string>& names) : libctx_(OSSL_LIB_CTX_new())
{
    if (!libctx_)
        throw_openssl("OSSL_LIB_CTX_new");
    if (names.empty()) {
        load_user_config(libctx_.get());
        return;
    }
    std::vector<std::string> wanted = names;
    if (std::find(wanted.begin(), wanted.end(), "default") == wanted.end())
        wanted.emplace_back("default");
    for (const auto& name : wanted) {
        provider_ptr provider(OSSL_PROVIDER_load(libctx_.get(), name.c_str()));
        if (!provider)
            throw_openssl("cannot load OpenSSL provider '" + name + "'");
        providers_.push_back(std::move(provider));
    }
}

}  // namespace lacme::accountd
