// SPDX-License-Identifier: GPL-3.0-or-later
// The install step under SIGKILL at random instants and on a full filesystem: the target is
// always the complete old or the complete new file, the certificate and the chain are of the same
// issuance once the next run has completed an interrupted install, and nothing stray survives
// the next install.
#include "master/certificate_install.hpp"
#include "master/install_journal.hpp"

#include "test/support/error_message.hpp"
#include "test_pki.hpp"

#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <random>
#include <thread>

using lacme::master::certificate_section;
using lacme::master::verify_and_install;
using lacme::test::file_mode;
using lacme::test::read_file;
using lacme::test::shared_ca;
using lacme::test::temp_dir;
using lacme::test::write_file;

namespace {

struct fixture {
    temp_dir dir;
    certificate_section section;
    std::string key_bytes, chain_a, chain_b, leaf_a, leaf_b;

    explicit fixture(const std::string& target_dir = {})
        : section(lacme::test::section_in(dir, lacme::test::shared_p256())),
          key_bytes(read_file(section.certificate_key))
    {
        if (!target_dir.empty()) {
            section.certificate = target_dir + "/www.crt";
            section.certificate_chain = target_dir + "/www.chain.pem";
        }
        section.chmod = 0640;
        const auto a = shared_ca().issue(lacme::test::shared_p256(), "www.example.org", 90, 1);
        const auto b = shared_ca().issue(lacme::test::shared_p256(), "www.example.org", 90, 2);
        chain_a = shared_ca().chain_pem(*a);
        chain_b = shared_ca().chain_pem(*b);
        leaf_a = lacme::pem_of(*a);
        leaf_b = lacme::pem_of(*b);
    }

    // The installed files are each the complete A or B, with the configured mode; the key is
    // untouched. paired: the certificate is the chain's leaf.
    void check_targets(int trial, bool paired = true) const
    {
        const std::string leaf = read_file(section.certificate);
        const std::string chain = read_file(section.certificate_chain);
        BOOST_TEST((leaf == leaf_a || leaf == leaf_b), "trial " << trial << ": torn certificate");
        BOOST_TEST((chain == chain_a || chain == chain_b), "trial " << trial << ": torn chain");
        if (paired)
            BOOST_TEST(((leaf == leaf_a) == (chain == chain_a)),
                       "trial " << trial << ": certificate and chain of different issuances");
        BOOST_TEST(file_mode(section.certificate) == 0640u, "trial " << trial);
        BOOST_TEST(file_mode(section.certificate_chain) == 0640u, "trial " << trial);
        BOOST_TEST(read_file(section.certificate_key) == key_bytes, "trial " << trial);
        BOOST_TEST(file_mode(section.certificate_key) == 0600u, "trial " << trial);
    }
};

std::size_t temporaries_in(const temp_dir& dir)
{
    std::size_t n = 0;
    for (const auto& name : dir.entries())
        n += name.find(".lacme-tmp.") != std::string::npos;
    return n;
}

// Runs verify_and_install in a child and SIGKILLs it after delay (it may have finished); without
// a delay, waits for it to finish.
bool killed_during_install(const certificate_section& section, const std::string& chain,
                           std::optional<std::chrono::microseconds> delay)
{
    const pid_t pid = ::fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
        try {
            verify_and_install(section, chain, std::chrono::system_clock::now());
        } catch (...) {
            ::_exit(1);
        }
        ::_exit(0);
    }
    if (delay) {
        std::this_thread::sleep_for(*delay);
        ::kill(pid, SIGKILL);
    }
    int status = 0;
    BOOST_REQUIRE(::waitpid(pid, &status, 0) == pid);
    BOOST_TEST(!(WIFEXITED(status) && WEXITSTATUS(status) != 0), "the install failed in the child");
    return WIFSIGNALED(status);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(install_crash_safety)

BOOST_AUTO_TEST_CASE(sigkill_at_random_instants)
{
    fixture f;
    verify_and_install(f.section, f.chain_a, std::chrono::system_clock::now());
    // Calibrated on a child, as the trials run (fork and exit included): on a loaded machine
    // under ASan an install in the parent says little about one in a fresh child.
    const auto start = std::chrono::steady_clock::now();
    killed_during_install(f.section, f.chain_b, std::nullopt);
    long window =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();

    const unsigned seed = std::random_device{}();
    BOOST_TEST_MESSAGE("seed " << seed << ", one install in a child takes " << window << " us");
    std::mt19937 rng(seed);
    int killed = 0, stray = 0, completed = 0;
    constexpr int trials = 200;
    for (int trial = 0; trial < trials; ++trial) {
        // From before the child starts to after it has surely finished; a kill that lands before
        // the end widens the window, so a machine slowing down mid-run still sees both outcomes.
        const long delay = std::uniform_int_distribution<long>(0, 2 * window + 2000)(rng);
        const bool was_killed =
            killed_during_install(f.section, trial % 2 ? f.chain_a : f.chain_b, std::chrono::microseconds(delay));
        killed += was_killed;
        if (was_killed && delay >= window)
            window += window / 4;
        f.check_targets(trial, false);
        completed += !lacme::master::finish_interrupted_install(f.section).empty();
        f.check_targets(trial);
        stray += temporaries_in(f.dir) > 0;
        verify_and_install(f.section, trial % 3 ? f.chain_a : f.chain_b, std::chrono::system_clock::now());
        BOOST_TEST(f.dir.entries() == (std::vector<std::string>{"ca.pem", "www.chain.pem", "www.crt", "www.key"}),
                   "seed " << seed << " trial " << trial << ": stray file after the next install");
    }
    BOOST_TEST_MESSAGE(killed << " of " << trials << " children killed before the end, " << stray
                              << " left a temporary file, " << completed << " an install to complete");
    BOOST_TEST(killed > 0);  // the kills did land during installs
    BOOST_TEST(killed < trials);
}

// The crash the journal is for, made deterministic: a child stages both files, journals them,
// renames the certificate and dies before renaming the chain.
BOOST_AUTO_TEST_CASE(a_crash_between_the_renames_is_completed_by_the_next_run)
{
    fixture f;
    verify_and_install(f.section, f.chain_a, std::chrono::system_clock::now());
    const pid_t pid = ::fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
        std::vector<lacme::staged_file> staged;
        staged.emplace_back(f.section.certificate, f.leaf_b, 0640, std::nullopt);
        staged.emplace_back(f.section.certificate_chain, f.chain_b, 0640, std::nullopt);
        const lacme::master::install_journal journal(
            lacme::master::install_journal_path(f.section.reference_certificate()), staged);
        staged.front().commit();
        ::_exit(0);  // no destructor runs, as under SIGKILL
    }
    int status = 0;
    BOOST_REQUIRE(::waitpid(pid, &status, 0) == pid);
    BOOST_REQUIRE(read_file(f.section.certificate) == f.leaf_b);
    BOOST_REQUIRE(read_file(f.section.certificate_chain) == f.chain_a);

    const auto replaced = lacme::master::finish_interrupted_install(f.section);
    BOOST_TEST(replaced == std::vector<std::string>{f.section.certificate_chain});
    BOOST_TEST(read_file(f.section.certificate_chain) == f.chain_b);
    f.check_targets(0);
    BOOST_TEST(f.dir.entries() == (std::vector<std::string>{"ca.pem", "www.chain.pem", "www.crt", "www.key"}));
    BOOST_TEST(lacme::master::finish_interrupted_install(f.section).empty());
}

BOOST_AUTO_TEST_CASE(a_journal_naming_other_files_is_refused)
{
    fixture f;
    verify_and_install(f.section, f.chain_a, std::chrono::system_clock::now());
    const std::string journal = lacme::master::install_journal_path(f.section.reference_certificate());
    write_file(journal, R"([{"from":")" + f.dir.file("evil") + R"(","to":")" + f.section.certificate_key + R"("}])");
    BOOST_CHECK_THROW(lacme::master::finish_interrupted_install(f.section), lacme::error);
    BOOST_TEST(read_file(f.section.certificate_key) == f.key_bytes);
}

// A corrupted journal (members of the wrong type) is a bad journal, one clear error, like any
// other: not a JSON library exception escaping as a crash. Nothing installed is touched.
BOOST_AUTO_TEST_CASE(a_journal_with_non_string_members_is_refused_with_a_clear_error)
{
    fixture f;
    verify_and_install(f.section, f.chain_a, std::chrono::system_clock::now());
    const std::string journal = lacme::master::install_journal_path(f.section.reference_certificate());
    for (const std::string& corrupted : {std::string(R"([{"from":1,"to":")") + f.section.certificate + R"("}])",
                                         R"([{"from":")" + f.section.certificate + R"(.lacme-tmp.x","to":["a"]}])",
                                         std::string(R"([{"from":null,"to":{}}])")}) {
        write_file(journal, corrupted);
        const std::string message =
            lacme::test::error_message([&] { lacme::master::finish_interrupted_install(f.section); });
        BOOST_TEST(message == journal + ": not an install journal (a rename without from and to)",
                   corrupted << ": " << message);
        f.check_targets(0);
        BOOST_TEST(read_file(f.section.certificate) == f.leaf_a);
    }
}

BOOST_AUTO_TEST_CASE(full_filesystem_keeps_the_old_files)
{
    temp_dir mount_point;
    if (::geteuid() != 0 || ::mount("tmpfs", mount_point.path().c_str(), "tmpfs", 0, "size=64k") != 0) {
        BOOST_TEST_MESSAGE("skipped: mounting a tmpfs needs root");
        return;
    }
    struct unmount {
        const std::string& path;
        ~unmount() { ::umount2(path.c_str(), MNT_DETACH); }
    } const guard{mount_point.path()};
    fixture f(mount_point.path());
    verify_and_install(f.section, f.chain_a, std::chrono::system_clock::now());
    {
        // Fill every remaining block.
        const std::string block(4096, 'x');
        std::FILE* filler = std::fopen(mount_point.file("filler").c_str(), "w");
        BOOST_REQUIRE(filler != nullptr);
        while (std::fwrite(block.data(), 1, block.size(), filler) == block.size() && std::fflush(filler) == 0) {
        }
        std::fclose(filler);
    }
    // Full, then room for the leaf's temporary file but not the chain's: neither file changes.
    for (const bool one_page_free : {false, true}) {
        if (one_page_free)
            BOOST_REQUIRE(
                ::truncate(mount_point.file("filler").c_str(),
                           static_cast<off_t>(std::filesystem::file_size(mount_point.file("filler")) - 4096)) == 0);
        const std::string message = lacme::test::error_message(
            [&] { verify_and_install(f.section, f.chain_b, std::chrono::system_clock::now()); });
        BOOST_TEST(message.find("No space left on device") != std::string::npos, message);
        BOOST_TEST(message.find('\n') == std::string::npos);
        f.check_targets(0);
        BOOST_TEST(read_file(f.section.certificate) == f.leaf_a, "one page free: " << one_page_free);
        BOOST_TEST(read_file(f.section.certificate_chain) == f.chain_a);
        BOOST_TEST(mount_point.entries() == (std::vector<std::string>{"filler", "www.chain.pem", "www.crt"}));
    }
    ::unlink(mount_point.file("filler").c_str());
    verify_and_install(f.section, f.chain_b, std::chrono::system_clock::now());
    BOOST_TEST(read_file(f.section.certificate_chain) == f.chain_b);
}

BOOST_AUTO_TEST_SUITE_END()
