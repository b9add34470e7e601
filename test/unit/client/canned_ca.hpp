// SPDX-License-Identifier: GPL-3.0-or-later
// Unit-test stand-ins for the CA and accountd, so the client's steps run against canned
// responses: a transport answering from a script (per "METHOD URL", the last answer repeats,
// every request recorded), an accountd on a socketpair that signs anything, a temporary cwd for
// challenge files, and a session wired to all of them (directory https://ca.test/dir, kid known).
#pragma once

#include "client/accountd_connection.hpp"
#include "client/acme_session.hpp"
#include "client/http_transport.hpp"
#include "client/run_log.hpp"

#include "common/accountd_protocol.hpp"
#include "common/log.hpp"
#include "common/openssl_ptr.hpp"
#include "common/unique_fd.hpp"

#include <boost/test/unit_test.hpp>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <deque>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace lacme::client::test {

inline const std::string ca = "https://ca.test";

// A response with a Replay-Nonce (as every ACME response has) and the given headers.
inline http_response canned(long status, const std::string& body,
                            std::vector<std::pair<std::string, std::string>> headers = {})
{
    http_response r{.status = status, .headers = std::move(headers), .body = body};
    r.headers.emplace_back("replay-nonce", "bm9uY2U");
    return r;
}
inline http_response canned_json(long status, const nlohmann::json& body,
                                 std::vector<std::pair<std::string, std::string>> headers = {})
{
    headers.emplace_back("content-type", status < 300 ? "application/json" : "application/problem+json");
    return canned(status, body.dump(), std::move(headers));
}

class canned_transport final : public http_transport {
public:
    // Queues an answer for "METHOD URL"; once the queue is down to one, that one repeats.
    void answer(const std::string& method_url, http_response response)
    {
        answers_[method_url].push_back(std::move(response));
    }
    // No answer at all for this URL (as for an unreachable host).
    void fail(const std::string& method_url) { failing_.push_back(method_url); }

    std::vector<http_outcome> perform_all(std::span<const http_request> requests,
                                          std::chrono::milliseconds timeout) override
    {
        timeouts.push_back(timeout);
        std::vector<http_outcome> outcomes;
        for (const auto& request : requests) {
            const std::string key = request.method + " " + request.url;
            sent.push_back(key);
            auto it = answers_.find(key);
            if (std::find(failing_.begin(), failing_.end(), key) != failing_.end() || it == answers_.end()) {
                outcomes.push_back({.error = "can't " + key + ": no answer"});
                continue;
            }
            outcomes.push_back({.response = it->second.front()});
            if (it->second.size() > 1)
                it->second.pop_front();
        }
        return outcomes;
    }

    [[nodiscard]] long count(const std::string& method_url) const
    {
        return std::count(sent.begin(), sent.end(), method_url);
    }

    std::vector<std::string> sent;
    std::vector<std::chrono::milliseconds> timeouts;  // one per perform_all

private:
    std::map<std::string, std::deque<http_response>> answers_;
    std::vector<std::string> failing_;
};

// accountd's far end: the greeting (ES256, kid known), then "c2ln" for every signing request.
class signing_accountd {
public:
    signing_accountd()
    {
        int sv[2];
        BOOST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
        client_end_ = unique_fd(sv[0]);
        unique_fd theirs(sv[1]);
        const std::string greeting =
            format_accountd_greeting({.alg = "ES256", .jwk_thumbprint = "thumb", .kid = ca + "/acct/1", .jwk = {}});
        BOOST_REQUIRE(::write(theirs.get(), greeting.data(), greeting.size()) == static_cast<ssize_t>(greeting.size()));
        thread_ = std::thread([fd = std::move(theirs)] {
            char buf[65536];
            ssize_t n;
            while ((n = ::read(fd.get(), buf, sizeof buf)) > 0)
                for (const char c : std::string_view(buf, static_cast<std::size_t>(n)))
                    if (c == '\n' && ::write(fd.get(), "c2ln\r\n", 6) != 6)
                        return;
        });
    }
    ~signing_accountd() { thread_.join(); }  // after the client's end is closed
    signing_accountd(const signing_accountd&) = delete;
    signing_accountd& operator=(const signing_accountd&) = delete;

    unique_fd client_end() { return std::move(client_end_); }

private:
    unique_fd client_end_;
    std::thread thread_;
};

// A fresh temporary directory as the cwd for the test's lifetime (challenge files go there).
class temp_cwd {
public:
    temp_cwd() : old_(std::filesystem::current_path())
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "lacme-client-test.XXXXXX").string();
        BOOST_REQUIRE(::mkdtemp(pattern.data()));
        dir_ = pattern;
        std::filesystem::current_path(dir_);
    }
    ~temp_cwd()
    {
        std::filesystem::current_path(old_);
        std::filesystem::remove_all(dir_);
    }
    temp_cwd(const temp_cwd&) = delete;
    temp_cwd& operator=(const temp_cwd&) = delete;

    [[nodiscard]] std::vector<std::string> files() const
    {
        std::vector<std::string> names;
        for (const auto& e : std::filesystem::directory_iterator(dir_))
            names.push_back(e.path().filename().string());
        return names;
    }

private:
    std::filesystem::path old_;
    std::filesystem::path dir_;
};

// Everything a step needs, wired together; `http` holds the script.
struct canned_ca {
    canned_ca()
    {
        config.server = ca + "/dir";
        http.answer(
            "GET " + ca + "/dir",
            canned_json(200, {{"newNonce", ca + "/nonce"}, {"newAccount", ca + "/acct"}, {"newOrder", ca + "/order"}}));
        http.answer("HEAD " + ca + "/nonce", canned(200, ""));
    }

    signing_accountd accountd_end;
    accountd_connection accountd{accountd_end.client_end()};
    canned_transport http;
    client_config config;
    lacme::logger out{lacme::log_level::info};
    run_log log{out};
    acme_session session{http, &accountd, config, log};
};

// A self-signed certificate named `cn`, as PEM.
inline std::string self_signed_pem(const std::string& cn)
{
    lacme::evp_pkey_ptr key(EVP_EC_gen("P-256"));
    lacme::x509_ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
    X509_set_pubkey(cert.get(), key.get());
    BOOST_REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);
    lacme::bio_ptr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert.get());
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace lacme::client::test
