// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/renewal.hpp"

#include "common/error.hpp"
#include "master/certificate_files.hpp"

#include <sys/stat.h>

namespace lacme::master {
namespace {

constexpr int default_min_days = 21;

bool is_regular_file(const std::string& path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

long days_until(time_point expiry, time_point now)
{
    using days = std::chrono::duration<long, std::ratio<86400>>;
    return std::chrono::floor<days>(expiry - now).count();
}

renewal_decision decide_renewal(const certificate_section& section, std::optional<int> min_days_cli, time_point now,
                                std::optional<renewal_window> ari)
{
    const int min_days = min_days_cli.value_or(section.min_days.value_or(default_min_days));
    const std::string& path = section.reference_certificate();
    if (!is_regular_file(path))
        return {true, "no certificate installed yet", std::nullopt};
    x509_ptr installed;
    try {
        installed = read_certificate_file(path);
    } catch (const error& e) {
        return {true, std::string("the installed certificate can't be read: ") + e.what(), std::nullopt};
    }
    const time_point expiry = expiry_of(*installed);
    const long days = days_until(expiry, now);
    if (min_days < 0)
        return {true, "renewal forced", expiry};
    if (!certificate_matches_key(*installed, *load_service_key(section.certificate_key)))
        return {true, "the certificate does not match certificate-key " + section.certificate_key, expiry, true};
    if (expiry - now <= std::chrono::days(min_days))
        return {true, "expires in " + std::to_string(days) + " days", expiry};
    if (ari && now >= ari->start)
        return {true, "the CA's renewal window has started", expiry};
    return {false, "expires in " + std::to_string(days) + " days", expiry};
}

}  // namespace lacme::master
