// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/challenge_files.hpp"

#include "test/support/stderr_capture.hpp"
#include "test/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

using lacme::client::challenge_files;
using lacme::client::run_log;
using namespace std::chrono_literals;

namespace {

// The files live in the cwd, as in the client (which runs in the challenge directory).
struct in_temp_dir {
    lacme::test::temp_dir dir;
    std::filesystem::path previous = std::filesystem::current_path();
    in_temp_dir() { std::filesystem::current_path(dir.path()); }
    ~in_temp_dir() { std::filesystem::current_path(previous); }
};

// What a CA's vantage point does to a challenge file through the webserver: open, read, close.
void fetch(const std::string& name)
{
    std::ifstream in(name, std::ios::binary);
    const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_REQUIRE(!body.empty());
}

std::chrono::milliseconds since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

struct fixture : in_temp_dir {
    lacme::logger out{lacme::log_level::debug};
    run_log log{out};
    lacme::test::stderr_capture captured;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(challenge_file_set, fixture)

BOOST_AUTO_TEST_CASE(files_are_written_and_removed_whatever_happens)
{
    {
        challenge_files files(log);
        files.write("token-a", "token-a.thumbprint");
        files.write("token-b", "token-b.thumbprint");
        std::ifstream in("token-a");
        BOOST_TEST(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()) ==
                   "token-a.thumbprint");
    }
    BOOST_TEST(dir.entries().empty());
}

BOOST_AUTO_TEST_CASE(an_existing_file_is_neither_overwritten_nor_removed)
{
    lacme::test::write_file(dir.file("planted"), "not ours");
    {
        challenge_files files(log);
        files.write("planted", "key authorization");
    }
    std::ifstream in("planted");
    BOOST_TEST(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()) == "not ours");
    BOOST_TEST(captured.text().find("File exists: planted") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(wait_ends_soon_after_every_file_was_fetched)
{
    challenge_files files(log);
    files.write("token-a", "a");
    files.write("token-b", "b");
    const auto start = std::chrono::steady_clock::now();
    std::thread ca([] {
        std::this_thread::sleep_for(30ms);
        fetch("token-a");
        std::this_thread::sleep_for(5ms);
        fetch("token-b");
    });
    files.wait_for_fetches(30s);
    const auto waited = since(start);
    ca.join();
    // Not before both fetches, and then only a quiet period (twice the first fetch's delay,
    // here tens of ms, at most 1 s), nowhere near the 30 s bound even on a loaded machine.
    BOOST_TEST(waited.count() >= 35);
    BOOST_TEST(waited.count() < 10000);
    BOOST_TEST(captured.text().find("the CA fetched every challenge file (fetches: 1 1)") != std::string::npos,
               captured.text());
}

BOOST_AUTO_TEST_CASE(a_file_never_fetched_makes_the_wait_last_until_its_bound)
{
    challenge_files files(log);
    files.write("token-a", "a");
    files.write("token-b", "b");
    fetch("token-a");
    const auto start = std::chrono::steady_clock::now();
    files.wait_for_fetches(300ms);
    BOOST_TEST(since(start).count() >= 300);
    BOOST_TEST(captured.text().find("challenge fetches so far: 1 0; trying anyway") != std::string::npos,
               captured.text());
}

BOOST_AUTO_TEST_CASE(writing_a_file_is_not_a_fetch)
{
    challenge_files files(log);
    files.write("token-a", "a");
    const auto start = std::chrono::steady_clock::now();
    files.wait_for_fetches(200ms);
    BOOST_TEST(since(start).count() >= 200);
    BOOST_TEST(captured.text().find("challenge fetches so far: 0; trying anyway") != std::string::npos,
               captured.text());
}

BOOST_AUTO_TEST_SUITE_END()
