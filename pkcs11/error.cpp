// SPDX-License-Identifier: GPL-3.0-or-later
#include "pkcs11/error.hpp"

#include <cstdio>

namespace lacme::pkcs11 {

bool error::reopenable() const noexcept
{
    switch (rv_) {
    case CKR_USER_NOT_LOGGED_IN:
    case CKR_SESSION_HANDLE_INVALID:
    case CKR_SESSION_CLOSED:
    case CKR_TOKEN_NOT_PRESENT:
    case CKR_DEVICE_REMOVED:
    case CKR_DEVICE_ERROR:
    // After a logout, private objects vanish: SoftHSM then answers C_SignInit with
    // CKR_OBJECT_HANDLE_INVALID; after a re-plug, handles change. Re-finding the key fixes both.
    case CKR_KEY_HANDLE_INVALID:
    case CKR_OBJECT_HANDLE_INVALID:
    // SoftHSM answers a C_SignInit that races a logout with CKR_GENERAL_ERROR; one retry on
    // fresh sessions costs little when the error is real.
    case CKR_GENERAL_ERROR: return true;
    default: return false;
    }
}

bool error::pin_rejected() const noexcept
{
    return rv_ == CKR_PIN_INCORRECT || rv_ == CKR_PIN_INVALID || rv_ == CKR_PIN_LEN_RANGE || rv_ == CKR_PIN_EXPIRED ||
           rv_ == CKR_PIN_LOCKED;
}

std::string rv_name(CK_RV rv)
{
#define LACME_CKR(name)                                                                                                \
    case name: return #name;
    switch (rv) {
        LACME_CKR(CKR_OK)
        LACME_CKR(CKR_CANCEL)
        LACME_CKR(CKR_HOST_MEMORY)
        LACME_CKR(CKR_SLOT_ID_INVALID)
        LACME_CKR(CKR_GENERAL_ERROR)
        LACME_CKR(CKR_FUNCTION_FAILED)
        LACME_CKR(CKR_ARGUMENTS_BAD)
        LACME_CKR(CKR_NO_EVENT)
        LACME_CKR(CKR_NEED_TO_CREATE_THREADS)
        LACME_CKR(CKR_CANT_LOCK)
        LACME_CKR(CKR_ATTRIBUTE_READ_ONLY)
        LACME_CKR(CKR_ATTRIBUTE_SENSITIVE)
        LACME_CKR(CKR_ATTRIBUTE_TYPE_INVALID)
        LACME_CKR(CKR_ATTRIBUTE_VALUE_INVALID)
        LACME_CKR(CKR_DATA_INVALID)
        LACME_CKR(CKR_DATA_LEN_RANGE)
        LACME_CKR(CKR_DEVICE_ERROR)
        LACME_CKR(CKR_DEVICE_MEMORY)
        LACME_CKR(CKR_DEVICE_REMOVED)
        LACME_CKR(CKR_ENCRYPTED_DATA_INVALID)
        LACME_CKR(CKR_ENCRYPTED_DATA_LEN_RANGE)
        LACME_CKR(CKR_FUNCTION_CANCELED)
        LACME_CKR(CKR_FUNCTION_NOT_PARALLEL)
        LACME_CKR(CKR_FUNCTION_NOT_SUPPORTED)
        LACME_CKR(CKR_KEY_HANDLE_INVALID)
        LACME_CKR(CKR_KEY_SIZE_RANGE)
        LACME_CKR(CKR_KEY_TYPE_INCONSISTENT)
        LACME_CKR(CKR_KEY_FUNCTION_NOT_PERMITTED)
        LACME_CKR(CKR_MECHANISM_INVALID)
        LACME_CKR(CKR_MECHANISM_PARAM_INVALID)
        LACME_CKR(CKR_OBJECT_HANDLE_INVALID)
        LACME_CKR(CKR_OPERATION_ACTIVE)
        LACME_CKR(CKR_OPERATION_NOT_INITIALIZED)
        LACME_CKR(CKR_PIN_INCORRECT)
        LACME_CKR(CKR_PIN_INVALID)
        LACME_CKR(CKR_PIN_LEN_RANGE)
        LACME_CKR(CKR_PIN_EXPIRED)
        LACME_CKR(CKR_PIN_LOCKED)
        LACME_CKR(CKR_SESSION_CLOSED)
        LACME_CKR(CKR_SESSION_COUNT)
        LACME_CKR(CKR_SESSION_HANDLE_INVALID)
        LACME_CKR(CKR_SESSION_PARALLEL_NOT_SUPPORTED)
        LACME_CKR(CKR_SESSION_READ_ONLY)
        LACME_CKR(CKR_SESSION_EXISTS)
        LACME_CKR(CKR_SIGNATURE_INVALID)
        LACME_CKR(CKR_SIGNATURE_LEN_RANGE)
        LACME_CKR(CKR_TEMPLATE_INCOMPLETE)
        LACME_CKR(CKR_TEMPLATE_INCONSISTENT)
        LACME_CKR(CKR_TOKEN_NOT_PRESENT)
        LACME_CKR(CKR_TOKEN_NOT_RECOGNIZED)
        LACME_CKR(CKR_TOKEN_WRITE_PROTECTED)
        LACME_CKR(CKR_USER_ALREADY_LOGGED_IN)
        LACME_CKR(CKR_USER_NOT_LOGGED_IN)
        LACME_CKR(CKR_USER_PIN_NOT_INITIALIZED)
        LACME_CKR(CKR_USER_TYPE_INVALID)
        LACME_CKR(CKR_USER_ANOTHER_ALREADY_LOGGED_IN)
        LACME_CKR(CKR_USER_TOO_MANY_TYPES)
        LACME_CKR(CKR_BUFFER_TOO_SMALL)
        LACME_CKR(CKR_CRYPTOKI_NOT_INITIALIZED)
        LACME_CKR(CKR_CRYPTOKI_ALREADY_INITIALIZED)
        LACME_CKR(CKR_MUTEX_BAD)
        LACME_CKR(CKR_MUTEX_NOT_LOCKED)
        LACME_CKR(CKR_FUNCTION_REJECTED)
    default: {
        char buf[32];
        (void)std::snprintf(buf, sizeof buf, "CKR_0x%08lX", static_cast<unsigned long>(rv));  // fits: 22 bytes at most
        return buf;
    }
    }
#undef LACME_CKR
}

void check(CK_RV rv, std::string_view what)
{
    if (rv != CKR_OK)
        throw error(std::string(what) + ": " + rv_name(rv), rv);
}

}  // namespace lacme::pkcs11
