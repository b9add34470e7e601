// SPDX-License-Identifier: GPL-3.0-or-later
// Whether a section needs a new certificate: lacme's min-days rule on the installed
// certificate, plus ours: the CA's ARI renewal window.
#pragma once

#include "common/renewal_info.hpp"
#include "master/certificate_config.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace lacme::master {

using time_point = std::chrono::system_clock::time_point;

struct renewal_decision {
    bool renew;
    std::string reason;  // e.g. "no certificate installed yet", "expires in 74 days"
    std::optional<time_point> expiry;  // of the installed certificate, when there is one
    bool key_changed = false;  // the installed certificate is not for certificate-key (rotated)
};

// The installed certificate is certificate-chain if set, else certificate (as lacme). min-days
// is the command line's if given (--force makes it -1), else the section's, else 21. Renew when no
// certificate can be read there, when min-days is negative, when it expires within min-days
// days, or when the CA's renewal window (ari: the suggestedWindow of its renewalInfo for the
// installed certificate) has started, and when the installed certificate's key is not
// certificate-key: the key was rotated, and the service loads the new key now.
// Throws lacme::error (unreadable service key).
renewal_decision decide_renewal(const certificate_section& section, std::optional<int> min_days_cli, time_point now,
                                std::optional<renewal_window> ari = std::nullopt);

// Whole days from now to expiry, rounded down (negative once expired).
long days_until(time_point expiry, time_point now);

}  // namespace lacme::master
