// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/log.hpp"

#include "test/support/stderr_capture.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>

using lacme::log_level;
using lacme::logger;
using lacme::test::stderr_capture;
using namespace std::chrono_literals;

namespace {

std::string file_contents(const std::string& path)
{
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const lacme::rate_limiter::clock::time_point t0{};

}  // namespace

BOOST_AUTO_TEST_SUITE(logging)

BOOST_AUTO_TEST_CASE(stderr_gets_what_the_threshold_allows)
{
    const stderr_capture captured;
    logger log(log_level::info);
    log.info("one");
    log.verbose("two");
    log.debug("three");
    log.set_threshold(log_level::debug);
    log.debug("four");
    BOOST_TEST(captured.text() == "one\nfour\n");
}

BOOST_AUTO_TEST_CASE(errors_and_warnings_carry_lacme_08s_prefixes_even_under_quiet)
{
    const stderr_capture captured;
    logger log(log_level::info);
    log.error("it broke");
    log.warning("it was skipped");
    BOOST_TEST(captured.text() == "Error: it broke\nWarning: it was skipped\n");
    BOOST_TEST(lacme::error_text("x") == "Error: x");
    BOOST_TEST(lacme::warning_text("x") == "Warning: x");
}

BOOST_AUTO_TEST_CASE(the_logfile_gets_verbose_lines_under_quiet_with_a_timestamp)
{
    const lacme::test::temp_dir dir;
    const std::string path = dir.path() + "/log";
    const stderr_capture captured;
    logger log(log_level::info);
    log.open_logfile(path);
    log.verbose("quietly");
    log.debug("never");
    BOOST_TEST(captured.text().empty());
    const std::string text = file_contents(path);
    BOOST_TEST(text.starts_with("["));
    BOOST_TEST(text.ends_with("] quietly\n"));
    BOOST_TEST(text.find("never") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(limited_lines_are_held_back_and_counted_on_the_next_line)
{
    const stderr_capture captured;
    logger log(log_level::verbose);
    log.set_rate_limit(2, 1s);
    for (int i = 0; i < 10; ++i)
        log.log_limited(log_level::info, "nosign", "refused " + std::to_string(i), t0);
    log.log_limited(log_level::info, "other", "accept failed", t0);
    log.log_limited(log_level::info, "nosign", "refused 10", t0 + 1s);
    BOOST_TEST(captured.text() == "refused 0\nrefused 1\naccept failed\nrefused 10 (8 similar lines suppressed)\n");
}

// A line nobody would see must not use up the allowance of lines that are shown.
BOOST_AUTO_TEST_CASE(limited_lines_below_the_threshold_take_no_token)
{
    const stderr_capture captured;
    logger log(log_level::info);
    log.set_rate_limit(1, 1s);
    log.log_limited(log_level::debug, "k", "hidden", t0);
    log.log_limited(log_level::info, "k", "shown", t0);
    BOOST_TEST(captured.text() == "shown\n");
}

BOOST_AUTO_TEST_SUITE_END()
