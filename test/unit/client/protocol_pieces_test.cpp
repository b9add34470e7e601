// SPDX-License-Identifier: GPL-3.0-or-later
// Nonce pool, JWS request bodies and EAB, accountd connection, directory, config, identifiers.
#include "client/accountd_connection.hpp"
#include "test/support/error_message.hpp"
#include "client/acme_directory.hpp"
#include "client/client_config.hpp"
#include "client/client_error.hpp"
#include "client/http_transport.hpp"
#include "client/ssl_version.hpp"
#include "client/jws_request.hpp"
#include "client/nonce_pool.hpp"
#include "client/order_request.hpp"

#include "common/base64url.hpp"
#include "common/jwk.hpp"

#include <boost/test/unit_test.hpp>
#include <curl/curl.h>
#include <openssl/hmac.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

using namespace lacme::client;

namespace {

nlohmann::json decode_json(const std::string& b64)
{
    return nlohmann::json::parse(*lacme::base64url_decode(b64));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(protocol_pieces)

BOOST_AUTO_TEST_CASE(nonce_pool_keeps_valid_nonces_newest_first)
{
    nonce_pool pool;
    BOOST_TEST(!pool.take());
    pool.add("first");
    pool.add("second");
    pool.add("not base64url!");
    pool.add("");
    BOOST_TEST(pool.size() == 2u);
    BOOST_TEST(*pool.take() == "second");
    BOOST_TEST(*pool.take() == "first");
    BOOST_TEST(!pool.take());
    for (int i = 0; i < 100; ++i)
        pool.add(std::string("n").append(std::to_string(i)));
    BOOST_TEST(pool.size() <= 32u);
    BOOST_TEST(*pool.take() == "n99");
}

BOOST_AUTO_TEST_CASE(protected_header_has_kid_or_jwk)
{
    jws_key by_kid{std::string("https://ca/acct/1"), nlohmann::json::object(), "ES256"};
    const auto h = nlohmann::json::parse(protected_header(by_kid, "nonce1", "https://ca/order"));
    BOOST_TEST(h["alg"] == "ES256");
    BOOST_TEST(h["kid"] == "https://ca/acct/1");
    BOOST_TEST(h["nonce"] == "nonce1");
    BOOST_TEST(h["url"] == "https://ca/order");
    BOOST_TEST(!h.contains("jwk"));

    jws_key by_jwk{std::nullopt, {{"kty", "EC"}, {"crv", "P-256"}, {"x", "a"}, {"y", "b"}}, "ES256"};
    const auto j = nlohmann::json::parse(protected_header(by_jwk, "", "https://ca/new-acct"));
    BOOST_TEST(j["jwk"]["kty"] == "EC");
    BOOST_TEST(!j.contains("kid"));
    BOOST_TEST(!j.contains("nonce"));  // keyChange's inner JWS
}

BOOST_AUTO_TEST_CASE(post_as_get_has_empty_payload)
{
    BOOST_TEST(encode_payload(std::nullopt).empty());
    BOOST_TEST(encode_payload(nlohmann::json::object()) == lacme::base64url_encode(std::string_view("{}")));
    BOOST_TEST(*lacme::base64url_decode(encode_payload(nlohmann::json{{"b", 1}, {"a", 2}})) == R"({"a":2,"b":1})");
}

BOOST_AUTO_TEST_CASE(external_account_binding_is_hs256_over_the_jwk)
{
    const nlohmann::json jwk = {{"kty", "EC"}, {"crv", "P-256"}, {"x", "xx"}, {"y", "yy"}};
    const std::string key = "secret-mac-key-bytes";
    const auto eab = external_account_binding("kid-1", lacme::base64url_encode(key) + "\n", "https://ca/new-acct", jwk);
    const auto header = decode_json(eab["protected"]);
    BOOST_TEST(header["alg"] == "HS256");
    BOOST_TEST(header["kid"] == "kid-1");
    BOOST_TEST(header["url"] == "https://ca/new-acct");
    BOOST_TEST(!header.contains("nonce"));
    BOOST_TEST(decode_json(eab["payload"]) == jwk);
    const std::string input = eab["protected"].get<std::string>() + "." + eab["payload"].get<std::string>();
    unsigned char mac[32];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(input.data()),
         input.size(), mac, &len);
    BOOST_TEST(eab["signature"] == lacme::base64url_encode(std::string_view(reinterpret_cast<char*>(mac), len)));
    BOOST_CHECK_THROW(external_account_binding("k", "not base64url!", "https://ca/x", jwk), lacme::error);
}

BOOST_AUTO_TEST_CASE(accountd_connection_reads_greeting_and_signs)
{
    int sv[2];
    BOOST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    lacme::unique_fd theirs(sv[1]);
    const nlohmann::json jwk = {{"e", "AQAB"}, {"kty", "RSA"}, {"n", "abc"}};
    std::string received;
    std::thread fake([&] {
        // Perl's accountd: unsorted greeting JSON without kid, canonical JWK line.
        const std::string greeting =
            "1 OK {\"jwk-thumbprint\":\"tp\",\"alg\":\"RS256\"}\r\n" + lacme::canonical_json(jwk) + "\r\n";
        BOOST_REQUIRE(::write(theirs.get(), greeting.data(), greeting.size()) == static_cast<ssize_t>(greeting.size()));
        char buf[256];
        const ssize_t n = ::read(theirs.get(), buf, sizeof buf);
        if (n > 0)
            received.assign(buf, static_cast<std::size_t>(n));
        BOOST_REQUIRE(::write(theirs.get(), "c2ln\r\n", 6) == 6);
        theirs.reset();
    });
    accountd_connection conn{lacme::unique_fd(sv[0])};
    BOOST_TEST(conn.greeting().alg == "RS256");
    BOOST_TEST(conn.thumbprint() == "tp");
    BOOST_TEST(!conn.greeting().kid);
    BOOST_TEST(conn.sign("aGVhZA.cGF5") == "c2ln");
    BOOST_TEST(conn.signatures() == 1u);
    BOOST_CHECK_THROW(conn.sign("aGVhZA."), lacme::error);  // connection closed: one line, no hang
    fake.join();
    BOOST_TEST(received == "aGVhZA.cGF5\r\n");
}

BOOST_AUTO_TEST_CASE(accountd_refusal_is_an_error)
{
    int sv[2];
    BOOST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    lacme::unique_fd theirs(sv[1]);
    const std::string greeting = "2 OK\r\n{}\r\n";
    BOOST_REQUIRE(::write(theirs.get(), greeting.data(), greeting.size()) == static_cast<ssize_t>(greeting.size()));
    BOOST_CHECK_THROW(accountd_connection{lacme::unique_fd(sv[0])}, lacme::error);
}

BOOST_AUTO_TEST_CASE(accountd_policy_refusal_names_its_reason_on_one_line)
{
    int sv[2];
    BOOST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    lacme::unique_fd theirs(sv[1]);
    // As lacme-accountd sends it: a bare LF, a hostile byte or two escaped on our side.
    const std::string exchange = "1 OK {\"alg\":\"ES256\"}\r\n{\"kty\":\"EC\"}\r\n"
                                 "NOSIGN identifier dns:evil.example not allowed\x1b[2J by policy \"web1\"\n";
    BOOST_REQUIRE(::write(theirs.get(), exchange.data(), exchange.size()) == static_cast<ssize_t>(exchange.size()));
    accountd_connection conn{lacme::unique_fd(sv[0])};
    const std::string message = lacme::test::error_message([&] { (void)conn.sign("aGVhZA.cGF5"); });
    BOOST_TEST(message == "lacme-accountd refused to sign: identifier dns:evil.example not allowed\\x1b[2J by "
                          "policy \"web1\"");
    BOOST_TEST(conn.signatures() == 0u);
}

BOOST_AUTO_TEST_CASE(directory_parsing)
{
    const auto dir = acme_directory::parse(nlohmann::json::parse(R"({
        "newNonce":"https://ca/nonce","newAccount":"https://ca/acct","newOrder":"https://ca/order",
        "revokeCert":"https://ca/revoke","keyChange":"https://ca/kc","renewalInfo":"https://ca/ari",
        "meta":{"termsOfService":"https://ca/tos","externalAccountRequired":true}})"));
    BOOST_TEST(dir.renewal_info == "https://ca/ari");
    BOOST_TEST(*dir.terms_of_service == "https://ca/tos");
    BOOST_TEST(dir.external_account_required);
    BOOST_CHECK_THROW(acme_directory::parse(nlohmann::json::parse(R"({"newNonce":"https://ca/n"})")), acme_error);
    BOOST_CHECK_THROW(acme_directory::parse(nlohmann::json::parse("[]")), acme_error);
    // Non-HTTP URLs are treated as absent.
    BOOST_CHECK_THROW(acme_directory::parse(nlohmann::json::parse(
                          R"({"newNonce":"file:///etc/passwd","newAccount":"https://a","newOrder":"https://o"})")),
                      acme_error);
    const auto minimal = acme_directory::parse(
        nlohmann::json::parse(R"({"newNonce":"https://n","newAccount":"https://a","newOrder":"https://o"})"));
    BOOST_CHECK_THROW((void)minimal.require(minimal.key_change, "keyChange"), acme_error);
}

BOOST_AUTO_TEST_CASE(client_config_from_lacme_master)
{
    // What Perl's master sends: every [client] key as a string.
    const auto c = parse_client_config(R"({"server":"https://ca/dir","timeout":"10","SSL_verify":"no",
        "SSL_version":"TLSv1_2","SSL_cipher_list":"HIGH","SSL_CAfile":"/ca.pem","user":"x","group":"",
        "command":"/usr/libexec/lacme/client"})");
    BOOST_TEST(c.server == "https://ca/dir");
    BOOST_TEST(c.timeout.count() == 10);
    BOOST_TEST(!c.tls.verify);
    BOOST_TEST(c.tls.version == "TLSv1_2");
    BOOST_TEST(c.tls.cipher_list == "HIGH");
    BOOST_TEST(c.tls.ca_file == "/ca.pem");
    const auto d = parse_client_config(R"({"server":"","timeout":""})");
    BOOST_TEST(d.server == std::string(default_server));
    BOOST_TEST(d.timeout.count() == 30);
    BOOST_TEST(d.tls.verify);
    BOOST_CHECK_THROW(parse_client_config(R"({"timeout":"soon"})"), lacme::error);
    // As lacme 0.8's client: only "No" turns verification off, whatever else is written.
    BOOST_TEST(parse_client_config(R"({"SSL_verify":"maybe"})").tls.verify);
    BOOST_TEST(parse_client_config(R"({"SSL_verify":"0"})").tls.verify);
    BOOST_TEST(!parse_client_config(R"({"SSL_verify":"NO"})").tls.verify);
    BOOST_CHECK_THROW(parse_client_config("not json"), lacme::error);
}

BOOST_AUTO_TEST_CASE(ssl_version_in_io_socket_ssl_syntax)
{
    BOOST_TEST(curl_ssl_version("TLSv1_2") == (long{CURL_SSLVERSION_TLSv1_2} | long{CURL_SSLVERSION_MAX_TLSv1_2}));
    BOOST_TEST(curl_ssl_version("SSLv23:!TLSv1:!TLSv1_1") ==
               (long{CURL_SSLVERSION_TLSv1_2} | long{CURL_SSLVERSION_MAX_TLSv1_3}));
    BOOST_TEST(curl_ssl_version("!SSLv2:!SSLv3") ==
               (long{CURL_SSLVERSION_TLSv1_0} | long{CURL_SSLVERSION_MAX_TLSv1_3}));
    BOOST_TEST(curl_ssl_version("TLSv1_3") == (long{CURL_SSLVERSION_TLSv1_3} | long{CURL_SSLVERSION_MAX_TLSv1_3}));
    BOOST_CHECK_THROW(curl_ssl_version("TLSv9"), lacme::error);
    BOOST_CHECK_THROW(curl_ssl_version("SSLv23:!TLSv1:!TLSv1_1:!TLSv1_2:!TLSv1_3"), lacme::error);
}

BOOST_AUTO_TEST_CASE(ip_identifiers)
{
    BOOST_TEST(identifier_for("127.0.0.1") == (nlohmann::json{{"type", "ip"}, {"value", "127.0.0.1"}}));
    BOOST_TEST(identifier_for("2001:DB8:0:0::1") == (nlohmann::json{{"type", "ip"}, {"value", "2001:db8::1"}}));
    BOOST_TEST(identifier_for("www.example.org") == (nlohmann::json{{"type", "dns"}, {"value", "www.example.org"}}));
    BOOST_TEST(identifier_for("1.2.3.4.example") == (nlohmann::json{{"type", "dns"}, {"value", "1.2.3.4.example"}}));
}

BOOST_AUTO_TEST_SUITE_END()
