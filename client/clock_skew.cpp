// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/clock_skew.hpp"

#include "client/retry_policy.hpp"
#include "common/text.hpp"

namespace lacme::client {

namespace {

std::string minutes_text(std::chrono::seconds span)
{
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(span).count();
    if (minutes < 120)
        return std::to_string(minutes) + " min";
    return std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
}

}  // namespace

std::optional<std::string> clock_skew_warning(const std::optional<std::string>& date_header,
                                              std::chrono::system_clock::time_point now)
{
    if (!date_header)
        return std::nullopt;
    const auto ca_time = parse_http_date(*date_header);
    if (!ca_time)
        return std::nullopt;
    const auto ahead = std::chrono::duration_cast<std::chrono::seconds>(now - *ca_time);
    const auto distance = ahead < std::chrono::seconds::zero() ? -ahead : ahead;
    if (distance <= clock_skew_tolerance)
        return std::nullopt;
    return "this host's clock is " + minutes_text(distance) + (ahead.count() > 0 ? " ahead of" : " behind") +
           " the CA's (Date: " + lacme::printable_for_log(*date_header, 64) +
           "): certificates may look not yet valid or expired here; is time synchronised (timedatectl status)?";
}

}  // namespace lacme::client
