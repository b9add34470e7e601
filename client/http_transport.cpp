#include "client/http_transport.hpp"

#include "client/debug_log.hpp"
#include "client/client_error.hpp"
#include "client/problem_document.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <iostream>

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

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

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
        t->response.headers.emplace_back(lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
    return n;
}

template <class... Args>
void set(CURL* easy, CURLoption option, Args... value)
{
    if (const CURLcode rc = curl_easy_setopt(easy, option, value...); rc != CURLE_OK)
        throw transport_error(std::string("libcurl option: ") + curl_easy_strerror(rc));
}

}  // namespace

long curl_ssl_version(std::string_view text)
{
    // IO::Socket::SSL: colon-separated protocol names, '!' excludes one; SSLv23 means "all".
    struct proto {
        std::string_view name;
        int rank;  // 0 = TLS 1.0 .. 3 = TLS 1.3; SSLv2/3 are never offered by curl's OpenSSL
    };
    static constexpr proto protos[] = {{"sslv2", -2}, {"sslv3", -1},   {"tlsv1", 0},    {"tlsv1_1", 1},
                                       {"tlsv11", 1}, {"tlsv1_2", 2}, {"tlsv12", 2},   {"tlsv1_3", 3},
                                       {"tlsv13", 3}, {"tlsv1.1", 1}, {"tlsv1.2", 2},  {"tlsv1.3", 3}};
    bool any_positive = false;
    bool allowed[4] = {false, false, false, false};
    bool excluded[4] = {false, false, false, false};
    std::string_view rest = text;
    while (true) {
        const std::size_t colon = rest.find(':');
        std::string_view item = trim(rest.substr(0, colon));
        const bool negated = !item.empty() && item.front() == '!';
        if (negated)
            item.remove_prefix(1);
        const std::string name = lower(item);
        if (!name.empty()) {
            bool all = name == "sslv23" || name == "all" || name == "default";
            int rank = -3;
            for (const auto& p : protos)
                if (p.name == name)
                    rank = p.rank;
            if (!all && rank == -3)
                throw lacme::error("SSL_version: unknown protocol '" + sanitize_for_log(item, 40) + "'");
            for (int r = 0; r < 4; ++r) {
                if (all || r == rank) {
                    (negated ? excluded : allowed)[r] = true;
                }
            }
            if (!negated)
                any_positive = true;
        }
        if (colon == std::string_view::npos)
            break;
        rest.remove_prefix(colon + 1);
    }
    int lo = -1, hi = -1;
    for (int r = 0; r < 4; ++r) {
        if ((allowed[r] || !any_positive) && !excluded[r]) {
            if (lo < 0)
                lo = r;
            hi = r;
        }
    }
    if (lo < 0)
        throw lacme::error("SSL_version '" + sanitize_for_log(text, 60) + "' leaves no usable TLS version");
    static constexpr long mins[] = {CURL_SSLVERSION_TLSv1_0, CURL_SSLVERSION_TLSv1_1, CURL_SSLVERSION_TLSv1_2,
                                    CURL_SSLVERSION_TLSv1_3};
    static constexpr long maxs[] = {CURL_SSLVERSION_MAX_TLSv1_0, CURL_SSLVERSION_MAX_TLSv1_1,
                                    CURL_SSLVERSION_MAX_TLSv1_2, CURL_SSLVERSION_MAX_TLSv1_3};
    return mins[lo] | maxs[hi];
}

std::optional<std::string> http_response::header(std::string_view name) const
{
    for (const auto& [n, v] : headers)
        if (n == name)
            return v;
    return std::nullopt;
}

std::vector<std::string> http_response::headers_named(std::string_view name) const
{
    std::vector<std::string> values;
    for (const auto& [n, v] : headers)
        if (n == name)
            values.push_back(v);
    return values;
}

std::string http_response::media_type() const
{
    const auto value = header("content-type");
    if (!value)
        return {};
    return lower(trim(std::string_view(*value).substr(0, value->find(';'))));
}

struct http_transport::impl {
    tls_settings tls;
    long ssl_version = CURL_SSLVERSION_DEFAULT;
    std::size_t body_cap;
    bool debug;
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
        }
        set(e, CURLOPT_SSLVERSION, ssl_version);
        if (!tls.cipher_list.empty())
            set(e, CURLOPT_SSL_CIPHER_LIST, tls.cipher_list.c_str());

        curl_slist* list = nullptr;
        auto append = [&](const std::string& h) {
            curl_slist* next = curl_slist_append(list, h.c_str());
            if (!next)
                throw transport_error("out of memory building request headers");
            list = next;
            t.headers.release();
            t.headers.reset(list);
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

http_transport::http_transport(tls_settings tls, std::size_t body_cap, bool debug)
    : impl_(std::make_unique<impl>())
{
    impl_->tls = std::move(tls);
    if (!impl_->tls.version.empty())
        impl_->ssl_version = curl_ssl_version(impl_->tls.version);
    impl_->body_cap = body_cap;
    impl_->debug = debug;
    impl_->multi.reset(curl_multi_init());
    if (!impl_->multi)
        throw transport_error("libcurl: curl_multi_init failed");
}

http_transport::~http_transport() = default;

std::vector<http_outcome> http_transport::perform_all(std::span<const http_request> requests,
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
        if (impl_->debug)
            std::cerr << debug_prefix() << ">>> " << request.method << ' ' << sanitize_for_log(request.url, 200) << '\n';
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
            outcomes[i].error = sanitize_for_log(request.url, 200) + ": response body exceeds " + std::to_string(t.body_cap) + " bytes";
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
            case CURLE_HTTP2_STREAM:
                outcomes[i].transient = true;
                break;
            default:
                break;
            }
            const std::string detail = t.error_buffer[0] ? std::string(t.error_buffer)
                                                         : std::string(curl_easy_strerror(t.done ? t.result : CURLE_RECV_ERROR));
            outcomes[i].error = "can't " + request.method + " " + sanitize_for_log(request.url, 200) + ": " +
                                sanitize_for_log(detail, 200);
        } else {
            curl_easy_getinfo(t.easy.get(), CURLINFO_RESPONSE_CODE, &t.response.status);
            if (impl_->debug)
                std::cerr << debug_prefix() << "<<< " << t.response.status << ' ' << sanitize_for_log(request.url, 200) << '\n';
            outcomes[i].response = std::move(t.response);
        }
    }
    return outcomes;
}

http_response http_transport::perform(const http_request& request, std::chrono::milliseconds timeout)
{
    auto outcomes = perform_all(std::span(&request, 1), timeout);
    if (!outcomes[0].response)
        throw transport_error(outcomes[0].error);
    return std::move(*outcomes[0].response);
}

}  // namespace lacme::client
