// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/curl_transport.hpp"

#include "client/client_error.hpp"
#include "client/ssl_version.hpp"

#include "common/text.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

namespace lacme::client {
namespace {

struct easy_deleter {
    void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
};
struct multi_deleter {
    void operator()(CURLM* h) const noexcept { curl_multi_cleanup(h); }
};
struct slist_deleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using easy_ptr = std::unique_ptr<CURL, easy_deleter>;
using multi_ptr = std::unique_ptr<CURLM, multi_deleter>;
using slist_ptr = std::unique_ptr<curl_slist, slist_deleter>;

// One request in flight: the easy handle and everything its callbacks write to.
struct transfer {
    easy_ptr easy;
    slist_ptr headers;
    http_response response;
    std::size_t body_cap = 0;
    bool body_overflow = false;
    char error_buffer[CURL_ERROR_SIZE] = {};
    bool done = false;
    CURLcode result = CURLE_OK;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user)
{
    auto* t = static_cast<transfer*>(user);
    const std::size_t n = size * count;
    if (t->response.body.size() + n > t->body_cap) {
        t->body_overflow = true;
        return 0;  // makes curl abort the transfer with CURLE_WRITE_ERROR
    }
    t->response.body.append(data, n);
    return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user)
{
    auto* t = static_cast<transfer*>(user);
    const std::size_t n = size * count;
    const std::string_view line(data, n);
    if (line.starts_with("HTTP/")) {
        t->response.headers.clear();  // a new response (after 1xx): forget the previous headers
        return n;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
        return n;
    if (t->response.headers.size() < 200)  // bound what a hostile server can make us keep
        t->response.headers.emplace_back(ascii_lower(trim(line.substr(0, colon))),
                                         std::string(trim(line.substr(colon + 1))));
    return n;
}

template <class... Args>
void set(CURL* easy, CURLoption option, Args... value)
{
    if (const CURLcode rc = curl_easy_setopt(easy, option, value...); rc != CURLE_OK)
        throw transport_error(std::string("libcurl option: ") + curl_easy_strerror(rc));
}

}  // namespace

struct curl_transport::impl {
    tls_settings tls;
    long ssl_version = CURL_SSLVERSION_DEFAULT;
    std::size_t body_cap;
    run_log& log;
    multi_ptr multi;

    void configure(transfer& t, const http_request& request, std::chrono::milliseconds timeout)
    {
        CURL* e = t.easy.get();
        set(e, CURLOPT_URL, request.url.c_str());
        set(e, CURLOPT_PROTOCOLS_STR, "https,http");
        set(e, CURLOPT_NOSIGNAL, 1L);
        set(e, CURLOPT_FOLLOWLOCATION, 0L);  // ACME never needs redirects; Location is data here
        set(e, CURLOPT_USERAGENT, "lacme-cpp-client/0.1");
        set(e, CURLOPT_ERRORBUFFER, t.error_buffer);
        set(e, CURLOPT_WRITEFUNCTION, on_body);
        set(e, CURLOPT_WRITEDATA, &t);
        set(e, CURLOPT_HEADERFUNCTION, on_header);
        set(e, CURLOPT_HEADERDATA, &t);
        set(e, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<long long>(timeout.count(), 1000)));
        set(e, CURLOPT_CONNECTTIMEOUT_MS, 15000L);
        set(e, CURLOPT_ACCEPT_ENCODING, "");  // whatever curl can decode; the cap applies decoded
        set(e, CURLOPT_SSL_VERIFYPEER, tls.verify ? 1L : 0L);
        set(e, CURLOPT_SSL_VERIFYHOST, tls.verify ? 2L : 0L);
        if (!tls.ca_file.empty()) {
            // Only these anchors: drop curl's built-in CA path too, or the system store would
            // still vouch for the server.
            set(e, CURLOPT_CAINFO, tls.ca_file.c_str());
            set(e, CURLOPT_CAPATH, static_cast<const char*>(nullptr));
        } else {
            // The system store through its hashed directory only (curl's CA path, as
            // update-ca-certificates keeps it): OpenSSL loads the one anchor a chain needs
            // instead of parsing the whole bundle, ~140 certificates, at every start (tens of
            // milliseconds and about 2 MB of the client's peak memory).
            set(e, CURLOPT_CAINFO, static_cast<const char*>(nullptr));
        }
        set(e, CURLOPT_SSLVERSION, ssl_version);
        if (!tls.cipher_list.empty())
            set(e, CURLOPT_SSL_CIPHER_LIST, tls.cipher_list.c_str());

        auto append = [&](const std::string& h) {
            curl_slist* next = curl_slist_append(t.headers.get(), h.c_str());
            if (!next)
                throw transport_error("out of memory building request headers");
            if (!t.headers)  // the first header starts the list; later ones extend it in place
                t.headers.reset(next);
        };
        append("Accept-Language: en");
        append("Expect:");  // no 100-continue round trip for small JWS bodies
        if (!request.content_type.empty())
            append("Content-Type: " + request.content_type);
        if (!request.accept.empty())
            append("Accept: " + request.accept);
        set(e, CURLOPT_HTTPHEADER, t.headers.get());

        if (request.method == "POST") {
            set(e, CURLOPT_POST, 1L);
            set(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
            set(e, CURLOPT_POSTFIELDS, request.body.c_str());
        } else if (request.method == "HEAD") {
            set(e, CURLOPT_NOBODY, 1L);
        } else if (request.method != "GET") {
            throw transport_error("unsupported HTTP method " + request.method);
        }
    }
};

curl_transport::curl_transport(tls_settings tls, run_log& log, std::size_t body_cap)
    : impl_(std::make_unique<impl>(
          impl{std::move(tls), CURL_SSLVERSION_DEFAULT, body_cap, log, multi_ptr(curl_multi_init())}))
{
    if (!impl_->tls.version.empty())
        impl_->ssl_version = curl_ssl_version(impl_->tls.version);
    if (!impl_->multi)
        throw transport_error("libcurl: curl_multi_init failed");
}

curl_transport::~curl_transport() = default;

std::vector<http_outcome> curl_transport::perform_all(std::span<const http_request> requests,
                                                      std::chrono::milliseconds timeout)
{
    std::vector<std::unique_ptr<transfer>> transfers;
    std::vector<http_outcome> outcomes(requests.size());
    CURLM* multi = impl_->multi.get();

    // Handles leave the multi handle before they are freed, whatever happens below.
    struct detach_all {
        CURLM* multi;
        std::vector<std::unique_ptr<transfer>>& transfers;
        ~detach_all()
        {
            for (auto& t : transfers)
                curl_multi_remove_handle(multi, t->easy.get());
        }
    } guard{multi, transfers};

    for (const auto& request : requests) {
        auto t = std::make_unique<transfer>();
        t->easy.reset(curl_easy_init());
        if (!t->easy)
            throw transport_error("libcurl: curl_easy_init failed");
        t->body_cap = impl_->body_cap;
        impl_->configure(*t, request, timeout);
        impl_->log.debug(">>> " + request.method + ' ' + printable_for_log(request.url, 200));
        if (const CURLMcode rc = curl_multi_add_handle(multi, t->easy.get()); rc != CURLM_OK)
            throw transport_error(std::string("libcurl: ") + curl_multi_strerror(rc));
        transfers.push_back(std::move(t));
    }

    int running = 0;
    do {
        if (const CURLMcode rc = curl_multi_perform(multi, &running); rc != CURLM_OK)
            throw transport_error(std::string("libcurl: ") + curl_multi_strerror(rc));
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            for (auto& t : transfers)
                if (t->easy.get() == msg->easy_handle) {
                    t->done = true;
                    t->result = msg->data.result;
                }
        }
        if (running > 0)
            if (const CURLMcode rc = curl_multi_poll(multi, nullptr, 0, 1000, nullptr); rc != CURLM_OK)
                throw transport_error(std::string("libcurl: ") + curl_multi_strerror(rc));
    } while (running > 0);

    for (std::size_t i = 0; i < transfers.size(); ++i) {
        transfer& t = *transfers[i];
        const http_request& request = requests[i];
        if (t.body_overflow) {
            outcomes[i].error = printable_for_log(request.url, 200) + ": response body exceeds " +
                                std::to_string(t.body_cap) + " bytes";
        } else if (!t.done || t.result != CURLE_OK) {
            switch (t.done ? t.result : CURLE_RECV_ERROR) {
            case CURLE_COULDNT_RESOLVE_HOST:
            case CURLE_COULDNT_CONNECT:
            case CURLE_OPERATION_TIMEDOUT:
            case CURLE_SEND_ERROR:
            case CURLE_RECV_ERROR:
            case CURLE_GOT_NOTHING:
            case CURLE_PARTIAL_FILE:
            case CURLE_HTTP2:
            case CURLE_HTTP2_STREAM: outcomes[i].transient = true; break;
            default: break;
            }
            const std::string detail = t.error_buffer[0]
                                           ? std::string(t.error_buffer)
                                           : std::string(curl_easy_strerror(t.done ? t.result : CURLE_RECV_ERROR));
            outcomes[i].error = "can't " + request.method + " " + printable_for_log(request.url, 200) + ": " +
                                printable_for_log(detail, 200);
        } else {
            curl_easy_getinfo(t.easy.get(), CURLINFO_RESPONSE_CODE, &t.response.status);
            impl_->log.debug("<<< " + std::to_string(t.response.status) + ' ' + printable_for_log(request.url, 200));
            outcomes[i].response = std::move(t.response);
        }
    }
    return outcomes;
}

}  // namespace lacme::client
