// SPDX-License-Identifier: GPL-3.0-or-later
// A PKCS#11 module for tests that forwards to SoftHSM and makes it behave like tokens SoftHSM
// cannot imitate, as told by environment variables read at each call:
//   LACME_SHIM_MODULE          the module forwarded to instead of SoftHSM, read once at load
//                              (bench/accountd-many-hosts counts tpm2-pkcs11's logins)
//   LACME_SHIM_TOKEN_FLAGS     hex flags ORed into CK_TOKEN_INFO.flags (CKF_USER_PIN_LOCKED,
//                              CKF_USER_PIN_FINAL_TRY, CKF_PROTECTED_AUTHENTICATION_PATH...)
//   LACME_SHIM_PINPAD_PIN      the PIN "typed on the PIN pad" when C_Login gets no PIN
//   LACME_SHIM_SLOTLIST_RV     hex CK_RV C_GetSlotList fails with (ykcs11 without pcscd)
//   LACME_SHIM_FAIL_SIGN_FILE  a file: while it exists, C_Sign removes it and fails once with
//                              CKR_DEVICE_REMOVED (a re-plugged token)
//   LACME_SHIM_FAIL_SIGN_RV    hex CK_RV for that failure instead (30: CKR_DEVICE_ERROR, as
//                              ykcs11 answers when a touch did not come)
//   LACME_SHIM_LOGINS_FILE     a file to which every C_Login appends its user type (kept open:
//                              a sandboxed accountd logs in again when it may open no file to write)
//   LACME_SHIM_REJECT_LOGIN    a user type (1 CKU_USER, 2 CKU_CONTEXT_SPECIFIC) whose C_Login
//                              fails with CKR_PIN_INCORRECT without reaching SoftHSM
//   LACME_SHIM_MAX_SESSIONS    ulMaxSessionCount to report and enforce (CKR_SESSION_COUNT)
//   LACME_SHIM_ONE_AUTH        set: like ykcs11, one context-specific authorisation for the whole
//                              card: C_Sign fails with CKR_USER_NOT_LOGGED_IN unless the last
//                              context-specific login was on its own session (each is used once)
//   LACME_SHIM_HIDE_ALWAYS_AUTH set: CKA_ALWAYS_AUTHENTICATE reads as false (ykcs11's slot 9a
//                              key generated with PIN policy "always"; SoftHSM still enforces it)
// Test code: the function table is process-global because the PKCS#11 ABI makes it so.
#include <p11-kit/pkcs11.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

CK_FUNCTION_LIST shim_list;
CK_FUNCTION_LIST* target = nullptr;
std::atomic<long> open_sessions{0};
// LACME_SHIM_ONE_AUTH: the session whose context-specific login is pending, if any.
std::atomic<CK_SESSION_HANDLE> authorised{CK_INVALID_HANDLE};

// LACME_SHIM_LOGINS_FILE: the file it names, last opened. Plain data only: the module is
// dlclose'd between tests (a mutex or string here showed up as LeakSanitizer reports).
std::atomic<int> logins_fd{-1};

void record_login(CK_USER_TYPE user, bool with_pin)
{
    const char* file = std::getenv("LACME_SHIM_LOGINS_FILE");
    if (file == nullptr)
        return;
    // Opened at each login (a test may remove the file between logins); a sandboxed accountd may
    // open nothing for writing, so the file opened last serves then.
    if (const int fd = ::open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644); fd >= 0)
        if (const int old = logins_fd.exchange(fd); old >= 0)
            ::close(old);
    char line[32];
    const int n =
        std::snprintf(line, sizeof line, "%lu %s\n", static_cast<unsigned long>(user), with_pin ? "pin" : "pinpad");
    if (const int fd = logins_fd.load(); fd >= 0 && ::write(fd, line, static_cast<std::size_t>(n)) < 0)
        std::perror("p11_shim: logins file");
}

long max_sessions()
{
    const char* v = std::getenv("LACME_SHIM_MAX_SESSIONS");
    return v ? std::atol(v) : 0;
}

CK_RV shim_open_session(CK_SLOT_ID slot, CK_FLAGS flags, void* app, CK_NOTIFY notify, CK_SESSION_HANDLE* h)
{
    if (const long max = max_sessions(); max > 0 && open_sessions >= max)
        return CKR_SESSION_COUNT;
    const CK_RV rv = target->C_OpenSession(slot, flags, app, notify, h);
    if (rv == CKR_OK)
        ++open_sessions;
    return rv;
}

CK_RV shim_close_session(CK_SESSION_HANDLE h)
{
    const CK_RV rv = target->C_CloseSession(h);
    if (rv == CKR_OK)
        --open_sessions;
    return rv;
}

CK_RV shim_close_all_sessions(CK_SLOT_ID slot)
{
    open_sessions = 0;
    return target->C_CloseAllSessions(slot);
}

unsigned long env_hex(const char* name)
{
    const char* v = std::getenv(name);
    return v ? std::strtoul(v, nullptr, 16) : 0;
}

CK_RV shim_get_slot_list(CK_BBOOL present, CK_SLOT_ID* list, CK_ULONG* count)
{
    if (const unsigned long rv = env_hex("LACME_SHIM_SLOTLIST_RV"))
        return rv;
    return target->C_GetSlotList(present, list, count);
}

CK_RV shim_get_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO* info)
{
    const CK_RV rv = target->C_GetTokenInfo(slot, info);
    if (rv == CKR_OK) {
        info->flags |= env_hex("LACME_SHIM_TOKEN_FLAGS");
        if (const long max = max_sessions(); max > 0)
            info->ulMaxSessionCount = static_cast<CK_ULONG>(max);
    }
    return rv;
}

CK_RV shim_login(CK_SESSION_HANDLE h, CK_USER_TYPE user, CK_UTF8CHAR* pin, CK_ULONG len)
{
    record_login(user, pin != nullptr);
    if (const char* reject = std::getenv("LACME_SHIM_REJECT_LOGIN");
        reject && std::strtoul(reject, nullptr, 10) == user)
        return CKR_PIN_INCORRECT;
    const char* pad = pin == nullptr ? std::getenv("LACME_SHIM_PINPAD_PIN") : nullptr;
    const CK_RV rv =
        pad ? target->C_Login(h, user, reinterpret_cast<CK_UTF8CHAR*>(const_cast<char*>(pad)), std::strlen(pad))
            : target->C_Login(h, user, pin, len);
    if (rv == CKR_OK && user == CKU_CONTEXT_SPECIFIC && std::getenv("LACME_SHIM_ONE_AUTH"))
        authorised = h;
    return rv;
}

CK_RV shim_get_attribute_value(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE object, CK_ATTRIBUTE* attrs, CK_ULONG count)
{
    const CK_RV rv = target->C_GetAttributeValue(h, object, attrs, count);
    if (std::getenv("LACME_SHIM_HIDE_ALWAYS_AUTH"))
        for (CK_ULONG i = 0; i < count; ++i)
            if (attrs[i].type == CKA_ALWAYS_AUTHENTICATE && attrs[i].pValue && attrs[i].ulValueLen == sizeof(CK_BBOOL))
                *static_cast<CK_BBOOL*>(attrs[i].pValue) = CK_FALSE;
    return rv;
}

CK_RV shim_sign(CK_SESSION_HANDLE h, CK_BYTE* data, CK_ULONG len, CK_BYTE* sig, CK_ULONG* sig_len)
{
    if (const char* file = std::getenv("LACME_SHIM_FAIL_SIGN_FILE"))
        if (::unlink(file) == 0) {
            const unsigned long rv = env_hex("LACME_SHIM_FAIL_SIGN_RV");
            return rv ? rv : CKR_DEVICE_REMOVED;
        }
    if (std::getenv("LACME_SHIM_ONE_AUTH")) {
        // The card takes its time, as a real one does: room for another session's login.
        ::usleep(1000);
        CK_SESSION_HANDLE mine = h;
        // The card's one authorisation went to another session: refused (the caller then
        // closes this session, whose operation SoftHSM still holds).
        if (!authorised.compare_exchange_strong(mine, CK_INVALID_HANDLE))
            return CKR_USER_NOT_LOGGED_IN;
    }
    return target->C_Sign(h, data, len, sig, sig_len);
}

}  // namespace

extern "C" CK_RV C_GetFunctionList(CK_FUNCTION_LIST** list)
{
    if (target == nullptr) {
        const char* module = std::getenv("LACME_SHIM_MODULE");
        void* lib = ::dlopen(module != nullptr ? module : "/usr/lib/softhsm/libsofthsm2.so", RTLD_NOW | RTLD_LOCAL);
        if (lib == nullptr)
            return CKR_GENERAL_ERROR;
        auto get = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(lib, "C_GetFunctionList"));
        if (get == nullptr || get(&target) != CKR_OK)
            return CKR_GENERAL_ERROR;
        shim_list = *target;
        shim_list.C_GetSlotList = shim_get_slot_list;
        shim_list.C_GetTokenInfo = shim_get_token_info;
        shim_list.C_Login = shim_login;
        shim_list.C_Sign = shim_sign;
        shim_list.C_GetAttributeValue = shim_get_attribute_value;
        shim_list.C_OpenSession = shim_open_session;
        shim_list.C_CloseSession = shim_close_session;
        shim_list.C_CloseAllSessions = shim_close_all_sessions;
    }
    *list = &shim_list;
    return CKR_OK;
}
