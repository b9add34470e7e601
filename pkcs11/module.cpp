// SPDX-License-Identifier: GPL-3.0-or-later
#include "pkcs11/module.hpp"

#include "pkcs11/error.hpp"

#include "common/text.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace lacme::pkcs11 {
namespace {

// The "module:" line of p11-kit's NAME.module registration file, if there is one. Relative module
// paths are relative to p11-kit's module directory, as p11-kit resolves them.
std::string registered_module(std::string_view name)
{
    const std::string_view dirs = LACME_P11_MODULE_CONFIGS;
    std::size_t pos = 0;
    while (pos <= dirs.size()) {
        const auto end = std::min(dirs.find(':', pos), dirs.size());
        const std::filesystem::path config =
            std::filesystem::path(std::string(dirs.substr(pos, end - pos))) / (std::string(name) + ".module");
        pos = end + 1;
        std::ifstream in(config);
        std::string line;
        while (in && std::getline(in, line)) {
            if (!line.starts_with("module:"))
                continue;
            std::string value(trim(std::string_view(line).substr(7)));
            if (!value.empty() && value.front() != '/')
                value = std::string(LACME_P11_MODULE_PATH) + "/" + value;
            return value;
        }
    }
    return {};
}

}  // namespace

std::string_view default_module() noexcept
{
    return LACME_P11_PROXY_MODULE;
}

std::string resolve_module(std::string_view uri_module_path, std::string_view uri_module_name,
                           std::string_view configured)
{
    if (!uri_module_path.empty())
        return std::string(uri_module_path);
    if (!uri_module_name.empty()) {
        // RFC 7512: the name without directory, "lib" prefix or suffix, e.g. module-name=softhsm2.
        if (uri_module_name.find('/') != std::string_view::npos)
            throw error("module-name=" + std::string(uri_module_name) + ": a name, not a path (use module-path=)");
        if (auto registered = registered_module(uri_module_name); !registered.empty())
            return registered;
        for (const auto& candidate :
             {std::string(LACME_P11_MODULE_PATH) + "/" + std::string(uri_module_name) + ".so",
              std::string(LACME_P11_MODULE_PATH) + "/lib" + std::string(uri_module_name) + ".so"})
            if (::access(candidate.c_str(), R_OK) == 0)
                return candidate;
        // Let dlopen search the library path.
        return "lib" + std::string(uri_module_name) + ".so";
    }
    if (!configured.empty())
        return std::string(configured);
    return std::string(default_module());
}

void module::dl_closer::operator()(void* handle) const noexcept
{
    ::dlclose(handle);
}

module::module(std::string path) :path_(std::move(path))
{
    ::dlerror();
    handle_.reset(::dlopen(path_.c_str(), RTLD_NOW | RTLD_LOCAL));
    if (!handle_) {
        const char* why = ::dlerror();
        throw error("cannot load PKCS#11 module " + path_ + ": " + (why ? why : "unknown error"));
    }
    const auto get_function_list = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(handle_.get(), "C_GetFunctionList"));
    if (get_function_list == nullptr)
        throw error(path_ + " is not a PKCS#11 module (no C_GetFunctionList)");
    check(get_function_list(&functions_), path_ + ": C_GetFunctionList");
    if (functions_ == nullptr)
        throw error(path_ + " is not a PKCS#11 module (C_GetFunctionList gave no functions)");
    if (functions_->version.major != 2 && functions_->version.major != 3)
        throw error(path_ + ": unsupported PKCS#11 version " + std::to_string(functions_->version.major));

    // We sign from several threads: let the module use OS locking.
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    const CK_RV rv = functions_->C_Initialize(&args);
    if (rv == CKR_CRYPTOKI_ALREADY_INITIALIZED)
        return;
    check(rv, path_ + ": C_Initialize");
    owns_initialization_ = true;
}

module::~module()
{
    finalize();
}

void module::finalize() noexcept
{
    if (functions_ != nullptr && owns_initialization_)
        functions_->C_Finalize(nullptr);
    owns_initialization_ = false;
    functions_ = nullptr;
    handle_.reset();
}

CK_INFO module::info() const
{
    CK_INFO info{};
    check(functions_->C_GetInfo(&info), path_ + ": C_GetInfo");
    return info;
}

std::vector<CK_SLOT_ID> module::slots_with_token() const
{
    const auto fail = [this](CK_RV rv) {
        // ykcs11 without pcscd, a reader without card, a daemon that is not running...
        throw error("no PKCS#11 token reachable through " + path_ + " (C_GetSlotList: " + rv_name(rv) +
                        (rv == CKR_DEVICE_ERROR ? "; is pcscd running and the token plugged in?)" : ")"),
                    rv);
    };
    // The list can grow between the two calls (a token plugged in): retry on BUFFER_TOO_SMALL.
    for (;;) {
        CK_ULONG count = 0;
        CK_RV rv = functions_->C_GetSlotList(CK_TRUE, nullptr, &count);
        if (rv != CKR_OK)
            fail(rv);
        std::vector<CK_SLOT_ID> slots(count);
        if (count == 0)
            return slots;
        rv = functions_->C_GetSlotList(CK_TRUE, slots.data(), &count);
        if (rv == CKR_BUFFER_TOO_SMALL)
            continue;
        if (rv != CKR_OK)
            fail(rv);
        slots.resize(count);
        return slots;
    }
}

}  // namespace lacme::pkcs11
