// SPDX-License-Identifier: GPL-3.0-or-later
#include "pkcs11/session.hpp"

#include "pkcs11/error.hpp"

#include <utility>

namespace lacme::pkcs11 {

session::session(const module& mod, CK_SLOT_ID slot) : fn_(mod.functions()), slot_(slot)
{
    check(fn_->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &handle_), "C_OpenSession");
}

session::session(session&& other) noexcept
    : fn_(other.fn_), slot_(other.slot_), handle_(std::exchange(other.handle_, CK_INVALID_HANDLE))
{}

session& session::operator=(session&& other) noexcept
{
    if (this != &other) {
        close();
        fn_ = other.fn_;
        slot_ = other.slot_;
        handle_ = std::exchange(other.handle_, CK_INVALID_HANDLE);
    }
    return *this;
}

session::~session()
{
    close();
}

void session::close() noexcept
{
    // The handle may already be gone (token logged out, removed): nothing to do about an error.
    if (handle_ != CK_INVALID_HANDLE)
        fn_->C_CloseSession(handle_);
    handle_ = CK_INVALID_HANDLE;
}

std::vector<CK_OBJECT_HANDLE> session::find(std::span<CK_ATTRIBUTE> tmpl, std::size_t max) const
{
    check(fn_->C_FindObjectsInit(handle_, tmpl.data(), static_cast<CK_ULONG>(tmpl.size())), "C_FindObjectsInit");
    std::vector<CK_OBJECT_HANDLE> found(max);
    CK_ULONG count = 0;
    const CK_RV rv = fn_->C_FindObjects(handle_, found.data(), static_cast<CK_ULONG>(max), &count);
    // Always end the search, or the session stays in find mode.
    const CK_RV final_rv = fn_->C_FindObjectsFinal(handle_);
    check(rv, "C_FindObjects");
    check(final_rv, "C_FindObjectsFinal");
    found.resize(count);
    return found;
}

std::optional<std::vector<std::uint8_t>> session::attribute(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) const
{
    CK_ATTRIBUTE a{type, nullptr, 0};
    CK_RV rv = fn_->C_GetAttributeValue(handle_, object, &a, 1);
    if (rv == CKR_ATTRIBUTE_TYPE_INVALID || rv == CKR_ATTRIBUTE_SENSITIVE || a.ulValueLen == static_cast<CK_ULONG>(-1))
        return std::nullopt;
    check(rv, "C_GetAttributeValue");
    std::vector<std::uint8_t> value(a.ulValueLen);
    a.pValue = value.data();
    rv = fn_->C_GetAttributeValue(handle_, object, &a, 1);
    if (rv == CKR_ATTRIBUTE_TYPE_INVALID || rv == CKR_ATTRIBUTE_SENSITIVE)
        return std::nullopt;
    check(rv, "C_GetAttributeValue");
    value.resize(a.ulValueLen);
    return value;
}

std::optional<CK_ULONG> session::attribute_ulong(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) const
{
    CK_ULONG value = 0;
    CK_ATTRIBUTE a{type, &value, sizeof value};
    const CK_RV rv = fn_->C_GetAttributeValue(handle_, object, &a, 1);
    if (rv == CKR_ATTRIBUTE_TYPE_INVALID || rv == CKR_ATTRIBUTE_SENSITIVE || a.ulValueLen != sizeof value)
        return std::nullopt;
    check(rv, "C_GetAttributeValue");
    return value;
}

bool session::attribute_bool(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) const
{
    CK_BBOOL value = CK_FALSE;
    CK_ATTRIBUTE a{type, &value, sizeof value};
    const CK_RV rv = fn_->C_GetAttributeValue(handle_, object, &a, 1);
    if (rv == CKR_ATTRIBUTE_TYPE_INVALID || rv == CKR_ATTRIBUTE_SENSITIVE || a.ulValueLen != sizeof value)
        return false;
    check(rv, "C_GetAttributeValue");
    return value == CK_TRUE;
}

std::string session::attribute_string(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) const
{
    const auto value = attribute(object, type);
    return value ? std::string(value->begin(), value->end()) : std::string();
}

login::login(const session& s, const secret_string* pin) : fn_(s.fn()), handle_(s.handle())
{
    const CK_RV rv =
        pin ? fn_->C_Login(handle_, CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(const_cast<char*>(pin->reveal().data())),
                           static_cast<CK_ULONG>(pin->reveal().size()))
            : fn_->C_Login(handle_, CKU_USER, nullptr, 0);
    if (rv == CKR_USER_ALREADY_LOGGED_IN)
        return;
    check(rv, "C_Login");
    logged_in_by_us_ = true;
}

login::~login()
{
    if (logged_in_by_us_)
        fn_->C_Logout(handle_);
}

void context_login(const session& s, const secret_string* pin)
{
    CK_FUNCTION_LIST* fn = s.fn();
    const CK_RV rv = pin ? fn->C_Login(s.handle(), CKU_CONTEXT_SPECIFIC,
                                       reinterpret_cast<CK_UTF8CHAR*>(const_cast<char*>(pin->reveal().data())),
                                       static_cast<CK_ULONG>(pin->reveal().size()))
                         : fn->C_Login(s.handle(), CKU_CONTEXT_SPECIFIC, nullptr, 0);
    check(rv, "C_Login(CKU_CONTEXT_SPECIFIC)");
}

CK_TOKEN_INFO token_info(const module& mod, CK_SLOT_ID slot)
{
    CK_TOKEN_INFO info{};
    check(mod.functions()->C_GetTokenInfo(slot, &info), "C_GetTokenInfo");
    return info;
}

CK_SLOT_INFO slot_info(const module& mod, CK_SLOT_ID slot)
{
    CK_SLOT_INFO info{};
    check(mod.functions()->C_GetSlotInfo(slot, &info), "C_GetSlotInfo");
    return info;
}

}  // namespace lacme::pkcs11
