// SPDX-License-Identifier: GPL-3.0-or-later
// A local clock far from the CA's makes a fresh certificate look not yet valid (or expired) to
// this host and its services, and renewal come early or late. The CA's Date header, read on
// the first answer of a run (the directory), finds that before anything is ordered.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace lacme::client {

// Within this, a difference is network delay and one-second rounding, not a wrong clock.
inline constexpr std::chrono::minutes clock_skew_tolerance{5};

// The warning for a Date header (HTTP-date) more than clock_skew_tolerance away from `now`,
// or nullopt: no header, an unparseable one (a proxy's business, not a clock problem), or a
// clock close enough.
std::optional<std::string> clock_skew_warning(const std::optional<std::string>& date_header,
                                              std::chrono::system_clock::time_point now);

}  // namespace lacme::client
