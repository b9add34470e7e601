// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/ssl_version.hpp"

#include "common/error.hpp"
#include "common/text.hpp"

#include <curl/curl.h>

#include <string>

namespace lacme::client {
long curl_ssl_version(std::string_view text)
{
    // IO::Socket::SSL: colon-separated protocol names, '!' excludes one; SSLv23 means "all".
    struct proto {
        std::string_view name;
        int rank;  // 0 = TLS 1.0 .. 3 = TLS 1.3; SSLv2/3 are never offered by curl's OpenSSL
    };
    static constexpr proto protos[] = {{"sslv2", -2}, {"sslv3", -1},  {"tlsv1", 0},   {"tlsv1_1", 1},
                                       {"tlsv11", 1}, {"tlsv1_2", 2}, {"tlsv12", 2},  {"tlsv1_3", 3},
                                       {"tlsv13", 3}, {"tlsv1.1", 1}, {"tlsv1.2", 2}, {"tlsv1.3", 3}};
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
        const std::string name = ascii_lower(item);
        if (!name.empty()) {
            bool all = name == "sslv23" || name == "all" || name == "default";
            int rank = -3;
            for (const auto& p : protos)
                if (p.name == name)
                    rank = p.rank;
            if (!all && rank == -3)
                throw lacme::error("SSL_version: unknown protocol '" + printable_for_log(item, 40) + "'");
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
        throw lacme::error("SSL_version '" + printable_for_log(text, 60) + "' leaves no usable TLS version");
    static constexpr long mins[] = {CURL_SSLVERSION_TLSv1_0, CURL_SSLVERSION_TLSv1_1, CURL_SSLVERSION_TLSv1_2,
                                    CURL_SSLVERSION_TLSv1_3};
    static constexpr long maxs[] = {CURL_SSLVERSION_MAX_TLSv1_0, CURL_SSLVERSION_MAX_TLSv1_1,
                                    CURL_SSLVERSION_MAX_TLSv1_2, CURL_SSLVERSION_MAX_TLSv1_3};
    return mins[lo] | maxs[hi];
}

}  // namespace lacme::client
