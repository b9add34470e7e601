// SPDX-License-Identifier: GPL-3.0-or-later
#include "pkcs11/token_key.hpp"

#include "common/error.hpp"
#include "common/openssl_error.hpp"
#include "pkcs11/error.hpp"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>

namespace lacme::pkcs11 {
namespace {

// DER prefix of DigestInfo{sha256, digest} (RFC 8017 §9.2 note 1), for CKM_RSA_PKCS.
constexpr std::array<std::uint8_t, 19> sha256_digest_info = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                                             0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

// C_Sign's own failure, told apart from C_SignInit's and the login's: only C_Sign's answer
// says the key wants a login per signature, or that the key waited for a touch.
class sign_failed : public error {
public:
    explicit sign_failed(CK_RV rv) : error("C_Sign: " + rv_name(rv), rv) {}
};

std::vector<CK_MECHANISM_TYPE> mechanisms(const module& mod, CK_SLOT_ID slot)
{
    CK_ULONG n = 0;
    check(mod.functions()->C_GetMechanismList(slot, nullptr, &n), "C_GetMechanismList");
    std::vector<CK_MECHANISM_TYPE> list(n);
    check(mod.functions()->C_GetMechanismList(slot, list.data(), &n), "C_GetMechanismList");
    list.resize(n);
    return list;
}

}  // namespace

token_key::token_key(const module& mod, uri u, key_options options)
    : mod_(mod), uri_(std::move(u)), options_(std::move(options)), policy_(options_.pins)
{
    warn_if_pin_file_shared();
    const std::lock_guard lock(mutex_);
    connect_locked(true);
}

token_key::~token_key()
{
    const std::lock_guard lock(mutex_);
    idle_.clear();
    login_.reset();
    anchor_.reset();
}

CK_SLOT_ID token_key::slot() const
{
    const std::lock_guard lock(mutex_);
    return token_.slot;
}

std::uint64_t token_key::reconnects() const
{
    const std::lock_guard lock(mutex_);
    return generation_;
}

const secret_string* token_key::pin_locked(const token_slot& t)
{
    if (pin_)
        return &*pin_;
    if (protected_path_)
        return nullptr;
    pin_ = configured_pin(uri_, options_.pin_file);
    if (!pin_ && (t.token.flags & CKF_PROTECTED_AUTHENTICATION_PATH)) {
        // PIN pad: the token asks the user itself.
        protected_path_ = true;
        return nullptr;
    }
    if (!pin_ && options_.allow_prompt)
        pin_ = prompt_pin_if_interactive("PIN for PKCS#11 token '" + padded(t.token.label) + "': ");
    if (!pin_)
        throw error("token " + describe(t) +
                    " needs a PIN: add pin-source=file:PATH to the URI, set pin-file, or run on a terminal");
    try {
        policy_.check_pin(t, *pin_);
    } catch (const error& e) {
        refuse_locked(e);
    }
    return &*pin_;
}

void token_key::warn_if_pin_file_shared() const
{
    struct stat st {};
    if (options_.warn && !options_.pin_file.empty() && ::stat(options_.pin_file.c_str(), &st) == 0 &&
        (st.st_mode & 077) != 0)
        options_.warn("PIN file " + options_.pin_file + " is readable by group or others (chmod 0600 it)");
}

[[noreturn]] void token_key::refuse_locked(const error& e)
{
    // Whatever made the PIN unusable (rejected, locked, final try) will not get better in this run.
    broken_ = e.what();
    broken_rv_ = e.rv();
    pin_.reset();
    uri_.wipe_pin_value();
    throw error(broken_, broken_rv_);
}

void token_key::check_token_locked(const token_slot& t)
{
    try {
        policy_.check_token(t);
    } catch (const error& e) {
        refuse_locked(e);
    }
}

[[noreturn]] void token_key::login_failed_locked(const error& e, const std::string& what)
{
    std::string message = what + " failed: " + e.what();
    if (!e.pin_rejected())
        throw error(message, e.rv());
    // Tokens lock after a few failures: this PIN is never offered again, on any login path (user
    // login, re-login, per-signature login), nor by a later run.
    message += "; not retried";
    if (pin_)
        if (auto recorded = policy_.rejected(token_, *pin_); !recorded.empty())
            message += "; " + recorded;
    CK_TOKEN_INFO now{};
    if (mod_.functions()->C_GetTokenInfo(token_.slot, &now) == CKR_OK)
        if (auto flags = pin_flags_text(now); !flags.empty())
            message += "; " + flags;
    refuse_locked(error(message, e.rv()));
}

void token_key::login_locked(const session& anchor, const token_slot& t)
{
    check_token_locked(t);
    const bool first_login = !pin_;
    // Before the warning: a PIN rejected in an earlier run ends here, with one line.
    const secret_string* pin = pin_locked(t);
    if (first_login)
        if (auto flags = pin_flags_text(t.token); !flags.empty() && options_.warn)
            options_.warn("token " + describe(t) + ": " + flags);
    try {
        login_.emplace(anchor, pin);
    } catch (const error& e) {
        login_failed_locked(e, "login to token " + describe(t));
    }
    policy_.accepted(t);
}

void token_key::connect_locked(bool first)
{
    const token_slot t = select_token(mod_, uri_);
    token_ = t;  // before any login: a rejection is recorded against this token
    session anchor(mod_, t.slot);
    if (t.token.flags & CKF_LOGIN_REQUIRED)
        login_locked(anchor, t);
    const CK_OBJECT_HANDLE key = select_private_key(anchor, uri_, describe(t));

    if (first) {
        public_ = read_public_key(anchor, key);
        if (!anchor.attribute_bool(key, CKA_SIGN))
            throw error("key " + describe_key(anchor, key) + " on token " + describe(t) +
                        " may not sign (CKA_SIGN false)");
        always_authenticate_ = anchor.attribute_bool(key, CKA_ALWAYS_AUTHENTICATE);
        if (always_authenticate_ && !login_) {
            // The per-signature login needs the PIN even if the token did not.
            check_token_locked(t);
            pin_locked(t);
        }
        const auto have = mechanisms(mod_, t.slot);
        const auto has = [&](CK_MECHANISM_TYPE m) { return std::find(have.begin(), have.end(), m) != have.end(); };
        if (public_.alg == jws_algorithm::rs256) {
            switch (options_.rsa) {
            case rsa_mechanism::automatic:
                mechanism_ = has(CKM_SHA256_RSA_PKCS) ? CKM_SHA256_RSA_PKCS : CKM_RSA_PKCS;
                break;
            case rsa_mechanism::sha256_rsa_pkcs: mechanism_ = CKM_SHA256_RSA_PKCS; break;
            case rsa_mechanism::rsa_pkcs: mechanism_ = CKM_RSA_PKCS; break;
            }
        } else {
            mechanism_ = CKM_ECDSA;
        }
        if (!has(mechanism_))
            throw error("token " + describe(t) + " does not offer the signing mechanism this key needs (" +
                        (mechanism_ == CKM_ECDSA ? "CKM_ECDSA" : "CKM_RSA_PKCS") + ")");
        // Leave the token room for other applications' sessions, and keep one for the anchor.
        max_sessions_ = std::max<std::size_t>(1, options_.max_sessions);
        single_session_ = t.token.ulMaxSessionCount == 1;
        if (single_session_)
            max_sessions_ = 1;
        else if (t.token.ulMaxSessionCount != CK_EFFECTIVELY_INFINITE &&
                 t.token.ulMaxSessionCount != CK_UNAVAILABLE_INFORMATION && t.token.ulMaxSessionCount > 1)
            max_sessions_ = std::min<std::size_t>(max_sessions_, t.token.ulMaxSessionCount - 1);
        description_ = "key " + describe_key(anchor, key) +
                       (always_authenticate_ ? " (login for every signature)" : "") + " on token " + describe(t);
    } else {
        // A re-plugged or re-initialised token must still hold the same key.
        if (read_public_key(anchor, key).jwk != public_.jwk) {
            broken_ = "the key selected by '" + uri_.text() + "' changed on the token";
            throw error(broken_);
        }
    }
    key_ = key;
    if (single_session_)
        idle_.push_back(std::move(anchor));  // signatures take turns on the one session
    else
        anchor_.emplace(std::move(anchor));
    connected_ = true;
}

token_key::lease token_key::acquire(std::uint64_t& generation)
{
    std::unique_lock lock(mutex_);
    if (!broken_.empty())
        throw error(broken_, broken_rv_);
    session_freed_.wait(lock, [this] { return !idle_.empty() || idle_.size() + leased_ < max_sessions_; });
    generation = generation_;
    if (!connected_)
        throw error("token key is disconnected", CKR_SESSION_HANDLE_INVALID);
    lease l{std::nullopt, generation_, key_};
    if (!idle_.empty()) {
        l.s.emplace(std::move(idle_.back()));
        idle_.pop_back();
    } else {
        l.s.emplace(mod_, token_.slot);
    }
    ++leased_;
    return l;
}

void token_key::release(lease& l, bool reusable) noexcept
{
    {
        const std::lock_guard lock(mutex_);
        --leased_;
        // A failed session is closed (it may still have an operation active), and so is one
        // from before a reconnect.
        if (reusable && l.generation == generation_)
            idle_.push_back(std::move(*l.s));
        l.s.reset();
    }
    session_freed_.notify_one();
}

void token_key::reconnect(std::uint64_t failed_generation, std::string_view why)
{
    const std::lock_guard lock(mutex_);
    if (failed_generation != generation_)
        return;  // another thread reconnected already
    if (!broken_.empty())
        throw error(broken_, broken_rv_);
    if (options_.warn)
        options_.warn("PKCS#11 token: " + std::string(why) + "; re-opening sessions and logging in again");
    ++generation_;
    // Drop our old sessions one by one. Not C_CloseAllSessions: other threads may be inside
    // C_Sign on sessions they leased, and SoftHSM frees those under their feet. The login is
    // not undone: either the token already forgot it, or it stays valid for the new sessions.
    connected_ = false;
    if (login_)
        login_->forget();
    login_.reset();
    anchor_.reset();
    idle_.clear();
    connect_locked(false);
}

std::vector<std::uint8_t> token_key::to_be_signed(std::string_view signing_input) const
{
    if (mechanism_ == CKM_SHA256_RSA_PKCS)
        return {signing_input.begin(), signing_input.end()};
    // The token signs a digest we compute: SHA-256 or SHA-384, fresh context per call.
    std::uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(signing_input.data(), signing_input.size(), digest, &len, jws_algorithm_digest(public_.alg),
                   nullptr) != 1)
        throw_openssl("hashing the signing input");
    std::vector<std::uint8_t> data;
    if (mechanism_ == CKM_RSA_PKCS)
        data.assign(sha256_digest_info.begin(), sha256_digest_info.end());
    data.insert(data.end(), digest, digest + len);
    return data;
}

void token_key::context_login_locked(const session& s)
{
    // Under mutex_: a PIN the token rejected meanwhile must not be offered again.
    if (!broken_.empty())
        throw error(broken_, broken_rv_);
    // A key found to need this login may be on a token that did not need a user login.
    const secret_string* pin = pin_ ? &*pin_ : protected_path_ ? nullptr : pin_locked(token_);
    try {
        context_login(s, pin);
    } catch (const error& e) {
        login_failed_locked(e, "per-signature login for " + description_);
    }
}

std::vector<std::uint8_t> token_key::sign_once(const session& s, CK_OBJECT_HANDLE key,
                                               std::span<const std::uint8_t> data, bool context_login)
{
    CK_FUNCTION_LIST* fn = s.fn();
    CK_MECHANISM mechanism{mechanism_, nullptr, 0};
    check(fn->C_SignInit(s.handle(), &mechanism, key), "C_SignInit");
    if (context_login) {
        const std::lock_guard lock(mutex_);
        context_login_locked(s);
    }
    // Sized from the key, so C_Sign never answers CKR_BUFFER_TOO_SMALL (which would leave the
    // operation active).
    std::vector<std::uint8_t> signature(public_.signature_size);
    CK_ULONG len = static_cast<CK_ULONG>(signature.size());
    if (const CK_RV rv = fn->C_Sign(s.handle(), const_cast<std::uint8_t*>(data.data()),
                                    static_cast<CK_ULONG>(data.size()), signature.data(), &len);
        rv != CKR_OK)
        throw sign_failed(rv);
    if (len != signature.size())
        throw error("C_Sign returned " + std::to_string(len) + " bytes, expected " + std::to_string(signature.size()));
    return signature;
}

std::vector<std::uint8_t> token_key::sign_on_lease(std::span<const std::uint8_t> data, bool context_login,
                                                   std::uint64_t& generation)
{
    // One authorisation per card: from C_SignInit to C_Sign, no other signature of this key.
    std::unique_lock serial(one_authorisation_, std::defer_lock);
    if (context_login)
        serial.lock();
    lease l = acquire(generation);
    try {
        auto signature = sign_once(*l.s, l.key, data, context_login);
        release(l, true);
        return signature;
    } catch (...) {
        release(l, false);
        throw;
    }
}

std::optional<std::string> token_key::token_if_still_present() const
{
    const std::lock_guard lock(mutex_);
    CK_SLOT_INFO slot{};
    CK_TOKEN_INFO now{};
    if (mod_.functions()->C_GetSlotInfo(token_.slot, &slot) == CKR_OK && (slot.flags & CKF_TOKEN_PRESENT) &&
        mod_.functions()->C_GetTokenInfo(token_.slot, &now) == CKR_OK &&
        std::equal(std::begin(now.serialNumber), std::end(now.serialNumber), std::begin(token_.token.serialNumber)))
        return describe(token_);
    return std::nullopt;
}

std::vector<std::uint8_t> token_key::sign(std::string_view signing_input)
{
    const auto data = to_be_signed(signing_input);
    bool reconnected = false;
    bool context_login = always_authenticate_;
    for (;;) {
        std::uint64_t generation = 0;
        try {
            auto signature = sign_on_lease(data, context_login, generation);
            if (context_login && !always_authenticate_.exchange(true) && options_.warn)
                options_.warn(description_ + " needs a login for every signature (PIN policy \"always\"); "
                                             "it now signs one signature at a time");
            return signature;
        } catch (const error& e) {
            const bool in_c_sign = dynamic_cast<const sign_failed*>(&e) != nullptr;
            // A key with PIN policy "always" that the token does not flag CKA_ALWAYS_AUTHENTICATE:
            // one context-specific login and one retry.
            if (in_c_sign && e.rv() == CKR_USER_NOT_LOGGED_IN && !context_login) {
                context_login = true;
                continue;
            }
            // A YubiKey whose touch policy is not "never" answers CKR_DEVICE_ERROR after waiting
            // some 15 seconds for a touch. Re-opening would only make the user wait again.
            if (const auto present = in_c_sign && e.rv() == CKR_DEVICE_ERROR ? token_if_still_present() : std::nullopt)
                throw error("signing with the PKCS#11 key: C_Sign: CKR_DEVICE_ERROR on token " + *present +
                                ", which is still present: the key was probably waiting for a touch that did not "
                                "come; touch the key when it blinks, or use touch policy \"never\" for unattended "
                                "renewal",
                            e.rv());
            if (!e.reopenable() || reconnected)
                throw error(std::string("signing with the PKCS#11 key: ") + e.what(), e.rv());
            reconnected = true;
            reconnect(generation, e.what());
        }
    }
}

}  // namespace lacme::pkcs11
