// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/retry_policy.hpp"

#include "common/text.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <ctime>
#include <thread>

namespace lacme::client {
namespace {

constexpr std::array<std::string_view, 12> month_names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// A small cursor over the date text; every parse step either consumes or fails.
class cursor {
public:
    explicit cursor(std::string_view text) : text_(text) {}

    bool literal(std::string_view expected)
    {
        if (text_.substr(0, expected.size()) != expected)
            return false;
        text_.remove_prefix(expected.size());
        return true;
    }
    bool spaces()  // one or more
    {
        std::size_t n = 0;
        while (n < text_.size() && text_[n] == ' ')
            ++n;
        text_.remove_prefix(n);
        return n > 0;
    }
    std::optional<int> number(std::size_t min_digits, std::size_t max_digits)
    {
        std::size_t n = 0;
        while (n < text_.size() && n < max_digits && std::isdigit(static_cast<unsigned char>(text_[n])))
            ++n;
        if (n < min_digits)
            return std::nullopt;
        int value = 0;
        std::from_chars(text_.data(), text_.data() + n, value);
        text_.remove_prefix(n);
        return value;
    }
    std::optional<int> month()
    {
        for (std::size_t i = 0; i < month_names.size(); ++i)
            if (literal(month_names[i]))
                return static_cast<int>(i);
        return std::nullopt;
    }
    bool skip_word()  // day names, which carry no information
    {
        std::size_t n = 0;
        while (n < text_.size() && std::isalpha(static_cast<unsigned char>(text_[n])))
            ++n;
        text_.remove_prefix(n);
        return n > 0;
    }
    bool time_of_day(std::tm& tm)
    {
        auto h = number(2, 2);
        if (!h || !literal(":"))
            return false;
        auto m = number(2, 2);
        if (!m || !literal(":"))
            return false;
        auto s = number(2, 2);
        if (!s)
            return false;
        tm.tm_hour = *h;
        tm.tm_min = *m;
        tm.tm_sec = *s;
        return true;
    }
    [[nodiscard]] bool done() const noexcept { return text_.empty(); }

private:
    std::string_view text_;
};

bool valid(const std::tm& tm)
{
    return tm.tm_mday >= 1 && tm.tm_mday <= 31 && tm.tm_hour <= 23 && tm.tm_min <= 59 && tm.tm_sec <= 60 &&
           tm.tm_year >= 0 && tm.tm_year <= 9999 - 1900;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate: separator " ", four-digit year) or
// "Sunday, 06-Nov-94 08:49:37 GMT" (RFC 850: "-", two digits); tm_year is the year as written.
std::optional<std::tm> comma_date(std::string_view text, std::string_view separator, std::size_t year_digits)
{
    std::tm tm{};
    cursor c(text);
    std::optional<int> day, mon, year;
    if (!(c.skip_word() && c.literal(", ") && (day = c.number(2, 2)) && c.literal(separator) && (mon = c.month()) &&
          c.literal(separator) && (year = c.number(year_digits, year_digits)) && c.literal(" ") && c.time_of_day(tm) &&
          c.literal(" GMT") && c.done()))
        return std::nullopt;
    tm.tm_mday = *day;
    tm.tm_mon = *mon;
    tm.tm_year = *year;
    return tm;
}

// asctime: "Sun Nov  6 08:49:37 1994"; tm_year is the year as written.
std::optional<std::tm> asctime_date(std::string_view text)
{
    std::tm tm{};
    cursor c(text);
    std::optional<int> day, mon, year;
    if (!(c.skip_word() && c.spaces() && (mon = c.month()) && c.spaces() && (day = c.number(1, 2)) && c.spaces() &&
          c.time_of_day(tm) && c.spaces() && (year = c.number(4, 4)) && c.done()))
        return std::nullopt;
    tm.tm_mday = *day;
    tm.tm_mon = *mon;
    tm.tm_year = *year;
    return tm;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text)
{
    std::optional<std::tm> tm;
    if ((tm = comma_date(text, " ", 4)) || (tm = asctime_date(text)))
        tm->tm_year -= 1900;
    else if ((tm = comma_date(text, "-", 2)))  // two-digit years: RFC 9110 §5.6.7 50-year rule, simplified
        tm->tm_year += tm->tm_year < 70 ? 100 : 0;
    if (!tm || !valid(*tm))
        return std::nullopt;
    const std::time_t t = timegm(&*tm);
    if (t == static_cast<std::time_t>(-1))
        return std::nullopt;
    // system_clock counts nanoseconds, so it ends in 2262: later dates (valid() allows up to
    // 9999) saturate instead of overflowing.
    using clock = std::chrono::system_clock;
    if (t >= std::chrono::duration_cast<std::chrono::seconds>(clock::time_point::max().time_since_epoch()).count())
        return clock::time_point::max();
    return clock::from_time_t(t);
}

std::optional<std::chrono::milliseconds>
parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now, std::chrono::milliseconds cap)
{
    value = trim(value);
    if (value.empty())
        return std::nullopt;
    if (std::isdigit(static_cast<unsigned char>(value.front()))) {
        long long seconds = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
        if (ec == std::errc::result_out_of_range)
            return cap;
        if (ec != std::errc() || end != value.data() + value.size())
            return std::nullopt;
        if (seconds >= std::chrono::ceil<std::chrono::seconds>(cap).count())
            return cap;
        return std::chrono::seconds(seconds);
    }
    const auto when = parse_http_date(value);
    if (!when)
        return std::nullopt;
    if (*when <= now)
        return std::chrono::milliseconds(0);
    // system_clock's nanoseconds hold 292 years either way: `*when - now` cannot overflow.
    if (*when - now >= cap)
        return cap;
    // Round up: waiting slightly too long is harmless, too short earns another rejection.
    return std::chrono::ceil<std::chrono::seconds>(*when - now);
}

std::chrono::milliseconds backoff::next()
{
    const auto current = next_;
    next_ = std::min(next_ * 2, max_);
    return current;
}

bool polling_limit::spend(std::chrono::milliseconds delay)
{
    if (limit_.count() > 0 && spent_ + delay >= limit_)
        return false;
    spent_ += delay;
    return true;
}

std::chrono::milliseconds deadline::remaining(std::chrono::milliseconds fallback) const
{
    if (!end_)
        return fallback;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*end_ - clock::now());
    return std::max(left, std::chrono::milliseconds(0));
}

bool deadline::allows(std::chrono::milliseconds delay) const
{
    return !end_ || delay < remaining(delay);
}

void sleep_for(std::chrono::milliseconds delay)
{
    // std::this_thread::sleep_for restarts after signals itself (it loops on nanosleep's remainder).
    if (delay.count() > 0)
        std::this_thread::sleep_for(delay);
}

}  // namespace lacme::client
