// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes the CA's Link (RFC 8288) and Retry-After (RFC 9110) header values. Invariants: Link
// parsing never fails, gives lowercase relation types without blanks, and what it returns,
// written back as one header value, parses to the same links; a parsed HTTP-date, written back
// as an IMF-fixdate, parses to the same instant; a Retry-After delay is never negative nor above
// the cap, and a later "now" never waits longer.
#include "client/link_header.hpp"
#include "client/retry_policy.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

std::string quoted(std::string_view value)
{
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

void check_links(std::string_view value)
{
    const auto links = lacme::client::parse_link_header(value);
    std::string written;
    for (const auto& l : links) {
        require(l.target.find('>') == std::string::npos);
        require(!l.rel.empty() && l.rel.find_first_of(" \t") == std::string::npos);
        for (const char c : l.rel)
            require(!(c >= 'A' && c <= 'Z'));
        written += (written.empty() ? "<" : ", <") + l.target + ">; rel=" + quoted(l.rel);
    }
    const auto again = lacme::client::parse_link_header(written);
    require(again.size() == links.size());
    for (std::size_t i = 0; i < links.size(); ++i)
        require(again[i].target == links[i].target && again[i].rel == links[i].rel);
}

std::string imf_fixdate(std::chrono::system_clock::time_point t)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    require(::gmtime_r(&seconds, &tm) != nullptr);
    std::array<char, 64> text{};
    require(std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm) > 0);
    return text.data();
}

void check_date(std::string_view value)
{
    using clock = std::chrono::system_clock;
    const auto when = lacme::client::parse_http_date(value);
    if (!when || *when == clock::time_point::max())
        return;
    require(*when >= clock::from_time_t(0) - std::chrono::hours(24 * 366 * 70));  // not before 1900
    const auto again = lacme::client::parse_http_date(imf_fixdate(*when));
    require(again == when);
}

void check_retry_after(std::string_view value)
{
    using namespace std::chrono;
    const auto now = system_clock::from_time_t(1'700'000'000);
    const auto cap = milliseconds(3'600'000);
    const auto delay = lacme::client::parse_retry_after(value, now, cap);
    if (!delay)
        return;
    require(delay->count() >= 0 && *delay <= cap);
    const auto later = lacme::client::parse_retry_after(value, now + hours(1), cap);
    require(later && *later <= *delay);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view value(reinterpret_cast<const char*>(data), size);
    check_links(value);
    check_date(value);
    check_retry_after(value);
    return 0;
}
