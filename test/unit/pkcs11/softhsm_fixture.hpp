// SPDX-License-Identifier: GPL-3.0-or-later
// Test helpers for the PKCS#11 unit tests: a private SoftHSM token directory per test
// (SOFTHSM2_CONF in a temp dir), tokens and keys made through the PKCS#11 API itself, and
// the options and helpers every test uses.
#pragma once

#include "test/support/error_message.hpp"
#include "common/base64url.hpp"
#include "common/error.hpp"
#include "common/jwk.hpp"
#include "common/jws_signature.hpp"
#include "common/openssl_ptr.hpp"
#include "pkcs11/error.hpp"
#include "pkcs11/module.hpp"
#include "pkcs11/loaded_key.hpp"
#include "pkcs11/session.hpp"

#include <boost/test/unit_test.hpp>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace lacme {
// For BOOST_TEST messages.
inline std::ostream& operator<<(std::ostream& out, jws_algorithm alg)
{
    return out << jws_algorithm_name(alg);
}
}  // namespace lacme

namespace lacme::pkcs11::test {

inline const std::string softhsm_module = "/usr/lib/softhsm/libsofthsm2.so";
inline const std::string so_pin = "12345678";
inline const std::string user_pin = "1234";

inline CK_UTF8CHAR* utf8(const std::string& s)
{
    return reinterpret_cast<CK_UTF8CHAR*>(const_cast<char*>(s.data()));
}

// A read-write, user-logged-in session for building test fixtures (not the code under test).
struct admin_session {
    admin_session(const module& m, CK_SLOT_ID slot) : fn(m.functions())
    {
        check(fn->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &h), "C_OpenSession");
        const CK_RV rv = fn->C_Login(h, CKU_USER, utf8(user_pin), user_pin.size());
        if (rv != CKR_USER_ALREADY_LOGGED_IN)
            check(rv, "C_Login");
    }
    ~admin_session() { fn->C_CloseSession(h); }
    admin_session(const admin_session&) = delete;
    admin_session& operator=(const admin_session&) = delete;
    CK_FUNCTION_LIST* fn;
    CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
};

struct key_spec {
    std::string label;
    std::vector<std::uint8_t> id;
    bool always_authenticate = false;
    // The public key object's label when it differs (ykcs11: "Public key for ...", OpenSC:
    // "SIGN pubkey" beside "SIGN key").
    std::string public_label = {};
};

class softhsm {
public:
    softhsm()
    {
        if (::access(softhsm_module.c_str(), R_OK) != 0)
            BOOST_FAIL("missing " + softhsm_module + " (install softhsm2: scripts/install-deps)");
        char tmpl[] = "/tmp/lacme-p11-unit.XXXXXX";
        if (!::mkdtemp(tmpl))
            BOOST_FAIL("mkdtemp failed");
        dir_ = tmpl;
        std::filesystem::create_directory(dir_ / "tokens");
        std::ofstream(dir_ / "softhsm2.conf") << "directories.tokendir = " << (dir_ / "tokens").string()
                                              << "\nobjectstore.backend = file\nlog.level = ERROR\n";
        ::setenv("SOFTHSM2_CONF", (dir_ / "softhsm2.conf").c_str(), 1);
        module_ = std::make_unique<module>(softhsm_module);
    }
    ~softhsm()
    {
        module_.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    softhsm(const softhsm&) = delete;
    softhsm& operator=(const softhsm&) = delete;

    [[nodiscard]] const module& mod() const { return *module_; }
    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

    // Ends this handle's use of the module, so the code under test owns C_Initialize/C_Finalize.
    void release_module() { module_.reset(); }
    void reload_module() { module_ = std::make_unique<module>(softhsm_module); }

    // Initialises the free slot's token; returns the token's (new) slot.
    CK_SLOT_ID init_token(const std::string& label)
    {
        CK_FUNCTION_LIST* fn = module_->functions();
        CK_SLOT_ID free_slot = find_slot("");
        std::string padded_label = label;
        padded_label.resize(32, ' ');
        check(fn->C_InitToken(free_slot, utf8(so_pin), so_pin.size(), utf8(padded_label)), "C_InitToken");
        const CK_SLOT_ID slot = find_slot(label);
        CK_SESSION_HANDLE h;
        check(fn->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &h), "C_OpenSession");
        check(fn->C_Login(h, CKU_SO, utf8(so_pin), so_pin.size()), "C_Login(SO)");
        check(fn->C_InitPIN(h, utf8(user_pin), user_pin.size()), "C_InitPIN");
        fn->C_Logout(h);
        fn->C_CloseSession(h);
        return slot;
    }

    // Slot of the initialised token with this label; "" finds the uninitialised (free) one.
    CK_SLOT_ID find_slot(const std::string& label)
    {
        CK_ULONG n = 0;
        check(module_->functions()->C_GetSlotList(CK_TRUE, nullptr, &n), "C_GetSlotList");
        std::vector<CK_SLOT_ID> slots(n);
        check(module_->functions()->C_GetSlotList(CK_TRUE, slots.data(), &n), "C_GetSlotList");
        for (CK_ULONG i = 0; i < n; ++i) {
            const CK_TOKEN_INFO t = token_info(*module_, slots[i]);
            const bool initialised = (t.flags & CKF_TOKEN_INITIALIZED) != 0;
            if (label.empty() ? !initialised : (initialised && padded(t.label) == label))
                return slots[i];
        }
        BOOST_FAIL("no SoftHSM slot for token '" + label + "'");
        return 0;
    }

    void generate_rsa(CK_SLOT_ID slot, const key_spec& k, CK_ULONG bits = 2048)
    {
        CK_MECHANISM mech{CKM_RSA_PKCS_KEY_PAIR_GEN, nullptr, 0};
        CK_BYTE exponent[] = {1, 0, 1};
        CK_BBOOL yes = CK_TRUE;
        CK_BBOOL aa = k.always_authenticate ? CK_TRUE : CK_FALSE;
        std::vector<CK_ATTRIBUTE> pub{{CKA_TOKEN, &yes, 1},
                                      {CKA_VERIFY, &yes, 1},
                                      {CKA_MODULUS_BITS, &bits, sizeof bits},
                                      {CKA_PUBLIC_EXPONENT, exponent, sizeof exponent}};
        std::vector<CK_ATTRIBUTE> priv{{CKA_TOKEN, &yes, 1},
                                       {CKA_PRIVATE, &yes, 1},
                                       {CKA_SENSITIVE, &yes, 1},
                                       {CKA_SIGN, &yes, 1},
                                       {CKA_ALWAYS_AUTHENTICATE, &aa, 1}};
        generate(slot, k, mech, pub, priv);
    }

    // curve: "P-256" or "P-384"
    void generate_ec(CK_SLOT_ID slot, const key_spec& k, const std::string& curve)
    {
        CK_MECHANISM mech{CKM_EC_KEY_PAIR_GEN, nullptr, 0};
        auto params = curve_params(curve);
        CK_BBOOL yes = CK_TRUE;
        CK_BBOOL aa = k.always_authenticate ? CK_TRUE : CK_FALSE;
        std::vector<CK_ATTRIBUTE> pub{{CKA_TOKEN, &yes, 1},
                                      {CKA_VERIFY, &yes, 1},
                                      {CKA_EC_PARAMS, params.data(), static_cast<CK_ULONG>(params.size())}};
        std::vector<CK_ATTRIBUTE> priv{{CKA_TOKEN, &yes, 1},
                                       {CKA_PRIVATE, &yes, 1},
                                       {CKA_SENSITIVE, &yes, 1},
                                       {CKA_SIGN, &yes, 1},
                                       {CKA_ALWAYS_AUTHENTICATE, &aa, 1}};
        generate(slot, k, mech, pub, priv);
    }

    // Imports an OpenSSL key pair (private and public objects), as a user would with
    // pkcs11-tool --write-object, so the token's JWK can be compared with OpenSSL's.
    void import_key(CK_SLOT_ID slot, const key_spec& k, EVP_PKEY* key, bool with_public_object = true)
    {
        admin_session s(*module_, slot);
        CK_BBOOL yes = CK_TRUE;
        CK_OBJECT_CLASS priv_class = CKO_PRIVATE_KEY, pub_class = CKO_PUBLIC_KEY;
        std::vector<CK_ATTRIBUTE> priv{{CKA_CLASS, &priv_class, sizeof priv_class},
                                       {CKA_TOKEN, &yes, 1},
                                       {CKA_PRIVATE, &yes, 1},
                                       {CKA_SIGN, &yes, 1}};
        std::vector<CK_ATTRIBUTE> pub{
            {CKA_CLASS, &pub_class, sizeof pub_class}, {CKA_TOKEN, &yes, 1}, {CKA_VERIFY, &yes, 1}};
        add_names(priv, k);
        add_names(pub, k, true);
        std::vector<std::vector<std::uint8_t>> keep;
        const auto bn = [&](const char* name) {
            BIGNUM* raw = nullptr;
            BOOST_REQUIRE(EVP_PKEY_get_bn_param(key, name, &raw) == 1);
            const bignum_ptr b(raw);
            keep.emplace_back(static_cast<std::size_t>(BN_num_bytes(b.get())));
            BN_bn2bin(b.get(), keep.back().data());
            return CK_ATTRIBUTE{0, keep.back().data(), static_cast<CK_ULONG>(keep.back().size())};
        };
        const auto with = [](CK_ATTRIBUTE a, CK_ATTRIBUTE_TYPE type) {
            a.type = type;
            return a;
        };
        CK_KEY_TYPE type;
        if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) {
            type = CKK_RSA;
            const auto n = bn(OSSL_PKEY_PARAM_RSA_N), e = bn(OSSL_PKEY_PARAM_RSA_E);
            for (auto* v : {&priv, &pub}) {
                v->push_back(with(n, CKA_MODULUS));
                v->push_back(with(e, CKA_PUBLIC_EXPONENT));
            }
            priv.push_back(with(bn(OSSL_PKEY_PARAM_RSA_D), CKA_PRIVATE_EXPONENT));
            priv.push_back(with(bn(OSSL_PKEY_PARAM_RSA_FACTOR1), CKA_PRIME_1));
            priv.push_back(with(bn(OSSL_PKEY_PARAM_RSA_FACTOR2), CKA_PRIME_2));
            priv.push_back(with(bn(OSSL_PKEY_PARAM_RSA_EXPONENT1), CKA_EXPONENT_1));
            priv.push_back(with(bn(OSSL_PKEY_PARAM_RSA_EXPONENT2), CKA_EXPONENT_2));
            priv.push_back(with(bn(OSSL_PKEY_PARAM_RSA_COEFFICIENT1), CKA_COEFFICIENT));
        } else {
            type = CKK_EC;
            char group[64];
            BOOST_REQUIRE(
                EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr) == 1);
            keep.push_back(curve_params(std::string(group) == "prime256v1" ? "P-256" : "P-384"));
            const CK_ATTRIBUTE params{CKA_EC_PARAMS, keep.back().data(), static_cast<CK_ULONG>(keep.back().size())};
            priv.push_back(params);
            pub.push_back(params);
            priv.push_back(with(bn(OSSL_PKEY_PARAM_PRIV_KEY), CKA_VALUE));
            std::uint8_t point[1 + 2 * 66];
            std::size_t len = 0;
            BOOST_REQUIRE(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, sizeof point,
                                                          &len) == 1);
            std::vector<std::uint8_t> der{0x04, static_cast<std::uint8_t>(len)};  // DER OCTET STRING
            der.insert(der.end(), point, point + len);
            keep.push_back(der);
            pub.push_back({CKA_EC_POINT, keep.back().data(), static_cast<CK_ULONG>(keep.back().size())});
        }
        priv.push_back({CKA_KEY_TYPE, &type, sizeof type});
        pub.push_back({CKA_KEY_TYPE, &type, sizeof type});
        CK_OBJECT_HANDLE h;
        check(s.fn->C_CreateObject(s.h, priv.data(), priv.size(), &h), "C_CreateObject(private)");
        if (with_public_object)
            check(s.fn->C_CreateObject(s.h, pub.data(), pub.size(), &h), "C_CreateObject(public)");
    }

    // A self-signed X.509 certificate for key, stored with the key's label and id (as PIV
    // tokens hold them).
    void import_certificate(CK_SLOT_ID slot, const key_spec& k, EVP_PKEY* key)
    {
        const x509_ptr cert(X509_new());
        BOOST_REQUIRE(cert);
        X509_set_version(cert.get(), 2);
        ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
        X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
        X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
        X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("account"), -1, -1, 0);
        X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
        X509_set_pubkey(cert.get(), key);
        BOOST_REQUIRE(X509_sign(cert.get(), key, EVP_sha256()) > 0);
        unsigned char* der = nullptr;
        const int len = i2d_X509(cert.get(), &der);
        BOOST_REQUIRE(len > 0);
        std::vector<std::uint8_t> value(der, der + len);
        OPENSSL_free(der);
        admin_session s(*module_, slot);
        CK_BBOOL yes = CK_TRUE;
        CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
        CK_CERTIFICATE_TYPE type = CKC_X_509;
        std::vector<std::uint8_t> subject(64, 0);  // SoftHSM wants CKA_SUBJECT; content unchecked
        std::vector<CK_ATTRIBUTE> attrs{{CKA_CLASS, &cls, sizeof cls},
                                        {CKA_TOKEN, &yes, 1},
                                        {CKA_CERTIFICATE_TYPE, &type, sizeof type},
                                        {CKA_SUBJECT, subject.data(), static_cast<CK_ULONG>(subject.size())},
                                        {CKA_VALUE, value.data(), static_cast<CK_ULONG>(value.size())}};
        add_names(attrs, k);
        CK_OBJECT_HANDLE h;
        check(s.fn->C_CreateObject(s.h, attrs.data(), attrs.size(), &h), "C_CreateObject(certificate)");
    }

    static std::vector<std::uint8_t> curve_params(const std::string& curve)
    {
        if (curve == "P-256")
            return {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
        return {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
    }

private:
    static void add_names(std::vector<CK_ATTRIBUTE>& v, const key_spec& k, bool is_public = false)
    {
        const std::string& label = is_public && !k.public_label.empty() ? k.public_label : k.label;
        if (!label.empty())
            v.push_back({CKA_LABEL, const_cast<char*>(label.data()), static_cast<CK_ULONG>(label.size())});
        if (!k.id.empty())
            v.push_back({CKA_ID, const_cast<std::uint8_t*>(k.id.data()), static_cast<CK_ULONG>(k.id.size())});
    }

    void generate(CK_SLOT_ID slot, const key_spec& k, CK_MECHANISM& mech, std::vector<CK_ATTRIBUTE>& pub,
                  std::vector<CK_ATTRIBUTE>& priv)
    {
        add_names(pub, k, true);
        add_names(priv, k);
        admin_session s(*module_, slot);
        CK_OBJECT_HANDLE pub_h, priv_h;
        check(s.fn->C_GenerateKeyPair(s.h, &mech, pub.data(), pub.size(), priv.data(), priv.size(), &pub_h, &priv_h),
              "C_GenerateKeyPair");
    }

    std::filesystem::path dir_;
    std::unique_ptr<module> module_;
};

// The usual test token: "acme" with a P-256 key "account" (id 02), the module left to the code
// under test.
struct token_with_p256_key {
    softhsm hsm;
    CK_SLOT_ID slot;
    token_with_p256_key() : slot(hsm.init_token("acme"))
    {
        hsm.generate_ec(slot, {"account", {0x02}}, "P-256");
        hsm.release_module();
    }
};

// A loaded key with the token key's operations at hand, as the tests use them.
struct test_signer : loaded_key {
    using loaded_key::loaded_key;
    [[nodiscard]] jws_algorithm algorithm() const noexcept { return key().algorithm(); }
    [[nodiscard]] const nlohmann::json& jwk() const noexcept { return key().jwk(); }
    [[nodiscard]] std::vector<std::uint8_t> sign(std::string_view input) { return key().sign(input); }
};

// Options for a signer in tests: SoftHSM, and never a prompt on a terminal.
inline load_options test_options()
{
    load_options o;
    o.module = softhsm_module;
    o.key.allow_prompt = false;
    return o;
}

inline bool contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

inline void write_file(const std::filesystem::path& path, const std::string& content)
{
    std::ofstream(path) << content;
}

// The key URIs a --list-keys listing prints (the indented "pkcs11:...;type=private" lines).
inline std::vector<std::string> printed_key_uris(const std::string& listing)
{
    std::vector<std::string> uris;
    std::istringstream in(listing);
    for (std::string line; std::getline(in, line);) {
        const auto start = line.find("pkcs11:");
        if (start != std::string::npos && line.find("type=private") != std::string::npos)
            uris.push_back(line.substr(start));
    }
    return uris;
}

// u with the test PIN added to its query.
inline std::string with_test_pin(const std::string& u)
{
    return u + (u.find('?') == std::string::npos ? "?" : "&") + "pin-value=" + user_pin;
}

using lacme::test::error_message;

}  // namespace lacme::pkcs11::test
