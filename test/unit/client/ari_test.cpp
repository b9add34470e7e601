// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/client_error.hpp"
#include "client/renewal_info.hpp"

#include <boost/test/unit_test.hpp>

using namespace lacme::client;

BOOST_AUTO_TEST_SUITE(ari)

BOOST_AUTO_TEST_CASE(renewal_info_window)
{
    const auto ok = parse_renewal_info(
        R"({"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-03T04:00:00.5+01:00"},"explanationURL":"https://x"})");
    BOOST_TEST(ok["explanationURL"].get<std::string>() == "https://x");
    BOOST_CHECK_THROW(
        parse_renewal_info(R"({"suggestedWindow":{"start":"2025-01-03T04:00:00Z","end":"2025-01-02T04:00:00Z"}})"),
        acme_error);
    BOOST_CHECK_THROW(parse_renewal_info(R"({"suggestedWindow":{"start":"yesterday","end":"2025-01-02T04:00:00Z"}})"),
                      acme_error);
    BOOST_CHECK_THROW(parse_renewal_info(R"({"suggestedWindow":[]})"), acme_error);
    BOOST_CHECK_THROW(parse_renewal_info("<html>"), acme_error);
}

BOOST_AUTO_TEST_SUITE_END()
