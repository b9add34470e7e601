// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/csr.hpp"

#include "test/support/error_message.hpp"
#include "test_pki.hpp"

#include <boost/test/unit_test.hpp>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

using lacme::master::build_csr;
using lacme::master::certificate_section;
using lacme::master::subject_alt_name;
using lacme::test::command_output;
using lacme::test::error_message;
using lacme::test::pem_format;
using lacme::test::temp_dir;
using lacme::test::write_file;

namespace {

lacme::x509_req_ptr parse_der(const std::string& der)
{
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    lacme::x509_req_ptr req(d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())));
    BOOST_REQUIRE(req);
    return req;
}

std::string tbs_of(X509_REQ* req)
{
    unsigned char* out = nullptr;
    const int len = i2d_re_X509_REQ_tbs(req, &out);
    const lacme::openssl_memory_ptr<unsigned char> owned(out);
    BOOST_REQUIRE(len > 0);
    return std::string(reinterpret_cast<const char*>(owned.get()), static_cast<std::size_t>(len));
}

certificate_section section_with_key(const temp_dir& dir, EVP_PKEY* key)
{
    certificate_section s;
    s.name = "www";
    s.certificate_key = dir.file("service.key");
    write_file(s.certificate_key, lacme::test::private_key_pem(key, pem_format::pkcs8));
    s.subject = "/C=FR/O=Example\\/Org+OU=Ops/CN=www.example.org";
    s.subject_alt_names = {{subject_alt_name::kind::dns, "www.example.org"},
                           {subject_alt_name::kind::ip, "2001:db8::1"},
                           {subject_alt_name::kind::dns, "example.org"}};
    s.key_usage = "digitalSignature, keyEncipherment";
    s.tls_feature = "status_request";
    return s;
}

// What Perl lacme's gen_csr runs for the same section (the oracle).
std::string perl_lacme_csr(const temp_dir& dir, const certificate_section& s, const std::string& san)
{
    write_file(dir.file("req.conf"),
               "[ req ]\ndistinguished_name = req_distinguished_name\nreq_extensions     = v3_req\n"
               "[ req_distinguished_name ]\n[ v3_req ]\n"
               "basicConstraints     = critical, CA:FALSE\nsubjectKeyIdentifier = hash\n"
               "keyUsage = critical, " +
                   *s.key_usage +
                   "\n"
                   "subjectAltName = " +
                   san + "\ntlsfeature = " + *s.tls_feature + "\n");
    return command_output("openssl req -outform DER -new -batch -key '" + s.certificate_key + "'" +
                          (s.hash ? " -" + *s.hash : std::string()) + " -subj '" + s.subject + "' -config '" +
                          dir.file("req.conf") + "' -reqexts v3_req 2>/dev/null");
}

std::string as_string(const std::vector<unsigned char>& der)
{
    return std::string(der.begin(), der.end());
}

const std::string san_text = "DNS:www.example.org, IP:2001:db8::1, DNS:example.org";

}  // namespace

BOOST_AUTO_TEST_SUITE(csr)

BOOST_AUTO_TEST_CASE(rsa_request_is_byte_identical_to_openssl_req)
{
    temp_dir dir;
    auto s = section_with_key(dir, lacme::test::shared_rsa2048());
    BOOST_TEST(as_string(build_csr(s)) == perl_lacme_csr(dir, s, san_text));
    s.hash = "sha512";
    BOOST_TEST(as_string(build_csr(s)) == perl_lacme_csr(dir, s, san_text));
}

BOOST_AUTO_TEST_CASE(ed25519_request_is_byte_identical_to_openssl_req)
{
    temp_dir dir;
    const auto key = lacme::test::generate_ed25519();
    const auto s = section_with_key(dir, key.get());
    BOOST_TEST(as_string(build_csr(s)) == perl_lacme_csr(dir, s, san_text));
}

BOOST_AUTO_TEST_CASE(ecdsa_request_matches_openssl_req_and_verifies)
{
    for (EVP_PKEY* key : {lacme::test::shared_p256(), lacme::test::shared_p384()}) {
        temp_dir dir;
        auto s = section_with_key(dir, key);
        s.hash = "sha384";
        const auto ours = parse_der(as_string(build_csr(s)));
        const auto theirs = parse_der(perl_lacme_csr(dir, s, san_text));
        BOOST_TEST(tbs_of(ours.get()) == tbs_of(theirs.get()));  // ECDSA signatures are randomised
        BOOST_TEST(X509_REQ_verify(ours.get(), key) == 1);
        BOOST_TEST(X509_REQ_get_signature_nid(ours.get()) == NID_ecdsa_with_SHA384);
    }
}

BOOST_AUTO_TEST_CASE(subject_cn_is_requested_in_subject_alt_name)
{
    temp_dir dir;
    auto s = section_with_key(dir, lacme::test::shared_p256());
    s.subject = "/CN=www.example.org";
    s.subject_alt_names = {{subject_alt_name::kind::dns, "example.org"}};
    const auto req = parse_der(as_string(build_csr(s)));
    const lacme::x509_extensions_ptr extensions(X509_REQ_get_extensions(req.get()));
    const auto* names =
        static_cast<GENERAL_NAMES*>(X509V3_get_d2i(extensions.get(), NID_subject_alt_name, nullptr, nullptr));
    BOOST_REQUIRE(names != nullptr);
    BOOST_TEST(sk_GENERAL_NAME_num(names) == 2);
    const auto dns = [&](int i) {
        const auto* name = sk_GENERAL_NAME_value(names, i);
        return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName)));
    };
    BOOST_TEST(dns(0) == "www.example.org");
    BOOST_TEST(dns(1) == "example.org");
    GENERAL_NAMES_free(const_cast<GENERAL_NAMES*>(names));
}

BOOST_AUTO_TEST_CASE(without_optional_extensions)
{
    temp_dir dir;
    auto s = section_with_key(dir, lacme::test::shared_p256());
    s.subject = "/CN=Example Service";  // not a domain name: nothing to request in subjectAltName
    s.subject_alt_names.clear();
    s.key_usage.reset();
    s.tls_feature.reset();
    const auto req = parse_der(as_string(build_csr(s)));
    const lacme::x509_extensions_ptr owned_extensions(X509_REQ_get_extensions(req.get()));
    STACK_OF(X509_EXTENSION)* extensions = owned_extensions.get();
    BOOST_TEST(sk_X509_EXTENSION_num(extensions) == 2);
    BOOST_TEST(OBJ_obj2nid(X509_EXTENSION_get_object(sk_X509_EXTENSION_value(extensions, 0))) == NID_basic_constraints);
    BOOST_TEST(X509_EXTENSION_get_critical(sk_X509_EXTENSION_value(extensions, 0)) == 1);
    BOOST_TEST(OBJ_obj2nid(X509_EXTENSION_get_object(sk_X509_EXTENSION_value(extensions, 1))) ==
               NID_subject_key_identifier);
    BOOST_TEST(X509_REQ_get_signature_nid(req.get()) == NID_ecdsa_with_SHA256);
}

BOOST_AUTO_TEST_CASE(bad_keys_and_hashes)
{
    temp_dir dir;
    const auto ed = lacme::test::generate_ed25519();
    auto s = section_with_key(dir, ed.get());
    s.hash = "sha256";
    BOOST_TEST(error_message([&] { build_csr(s); }) == "hash: sha256 cannot be used with ED25519 keys");
    s.certificate_key = dir.file("missing.key");
    BOOST_TEST(error_message([&] { build_csr(s); }) ==
               "can't open " + s.certificate_key + ": No such file or directory");
    write_file(dir.file("enc.key"),
               lacme::test::private_key_pem(lacme::test::shared_p256(), pem_format::pkcs8, "secret"));
    s.certificate_key = dir.file("enc.key");
    BOOST_TEST(
        error_message([&] { build_csr(s); }).starts_with(s.certificate_key + ": not an unencrypted PEM private key"));
    write_file(dir.file("cert.key"), lacme::test::shared_ca().root_pem());
    s.certificate_key = dir.file("cert.key");
    BOOST_TEST(
        error_message([&] { build_csr(s); }).starts_with(s.certificate_key + ": not an unencrypted PEM private key"));
}

BOOST_AUTO_TEST_SUITE_END()
