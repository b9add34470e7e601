// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/section_run.hpp"
#include "master/pending_notify.hpp"

#include "master/certificate_files.hpp"

#include "printers.hpp"
#include "scripted_master.hpp"
#include "test_pki.hpp"

#include <boost/test/unit_test.hpp>

#include <ctime>
#include <iomanip>
#include <sstream>

using lacme::master::certificate_section;
using lacme::master::section_run;
using lacme::master::section_state;
using lacme::master::section_status;
using lacme::test::read_file;
using lacme::test::scripted_master;
using lacme::test::shared_ca;
using lacme::test::temp_dir;
using lacme::test::write_file;
namespace utf = boost::unit_test;

namespace lacme::master {

std::ostream& operator<<(std::ostream& out, section_state state)
{
    return out << static_cast<int>(state);
}

std::ostream& operator<<(std::ostream& out, section_status status)
{
    return out << static_cast<int>(status);
}

}  // namespace lacme::master

namespace {

// The shared test CA's certificate for the section's key, valid `days` more days, as installed.
void install_certificate(const certificate_section& s, int days)
{
    const auto leaf = shared_ca().issue(lacme::test::shared_p256(), "www.example.org", days);
    write_file(s.certificate, lacme::pem_of(*leaf));
    write_file(s.certificate_chain, shared_ca().chain_pem(*leaf));
}

section_run planned(const certificate_section& s)
{
    auto runs = lacme::master::section_runs({&s});
    return std::move(runs.front());
}

std::string rfc3339(std::chrono::system_clock::time_point t)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    std::ostringstream out;
    out << std::put_time(&utc, "%Y-%m-%dT%H:%M:%SZ");
    return out.str();
}

// A client answering renewal-info with a window from `start` for a day.
std::string renewal_info_client(std::chrono::system_clock::time_point start)
{
    return "cat >/dev/null; echo '{\"suggestedWindow\":{\"start\":\"" + rfc3339(start) + "\",\"end\":\"" +
           rfc3339(start + std::chrono::hours(24)) + "\"}}'\n";
}

// A section of m's directory with a P-256 key and a certificate valid 60 more days.
certificate_section installed_section(scripted_master& m)
{
    auto s = lacme::test::section_in(m.dir, lacme::test::shared_p256());
    install_certificate(s, 60);
    return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(master_section_run)

BOOST_AUTO_TEST_CASE(planning_moves_each_section_by_its_own_state)
{
    lacme::logger log(lacme::log_level::info);
    const temp_dir broken_dir, new_dir, fresh_dir, forced_dir;
    auto broken = lacme::test::section_in(broken_dir, lacme::test::shared_p256());
    broken.errors = {"lacme-certs.conf:3: bad min-days"};
    const auto fresh_section = lacme::test::section_in(fresh_dir, lacme::test::shared_p256());
    install_certificate(fresh_section, 60);
    auto brand_new = lacme::test::section_in(new_dir, lacme::test::shared_p256());
    brand_new.name = "new";
    std::vector<section_run> runs = lacme::master::section_runs({&broken, &brand_new, &fresh_section});
    lacme::master::plan_sections(runs, std::nullopt, log);

    BOOST_TEST(runs[0].state == section_state::failed);
    BOOST_TEST(runs[0].detail == "lacme-certs.conf:3: bad min-days");
    BOOST_TEST(runs[1].state == section_state::ordering);
    BOOST_TEST(!runs[1].csr.empty());
    BOOST_TEST(runs[1].replaces.empty());  // nothing installed to replace
    BOOST_TEST(runs[2].state == section_state::awaiting_window);
    BOOST_TEST(runs[2].installed_der ==
               lacme::master::der_of(*lacme::master::read_certificate_file(fresh_section.certificate_chain)));
    BOOST_TEST(runs[2].expiry.has_value());
    BOOST_TEST(lacme::master::any_in(runs, section_state::ordering));
    BOOST_TEST(!lacme::master::any_in(runs, section_state::issued));
}

// --force (min-days -1) renews an installed certificate and names it in the order (ARI replaces).
BOOST_AUTO_TEST_CASE(forcing_renews_and_replaces_the_installed_certificate)
{
    lacme::logger log(lacme::log_level::info);
    const temp_dir dir;
    auto s = lacme::test::section_in(dir, lacme::test::shared_p256());
    install_certificate(s, 60);
    std::vector<section_run> runs{planned(s)};
    lacme::master::plan_sections(runs, -1, log);
    BOOST_TEST(runs[0].state == section_state::ordering);
    BOOST_TEST(!runs[0].replaces.empty());
}

BOOST_AUTO_TEST_CASE(a_started_renewal_window_orders_and_a_later_one_keeps, *utf::timeout(60))
{
    const auto now = std::chrono::system_clock::now();
    for (const bool started : {true, false}) {
        scripted_master m(renewal_info_client(started ? now - std::chrono::hours(1) : now + std::chrono::hours(240)));
        const auto s = installed_section(m);
        std::vector<section_run> runs{planned(s)};
        lacme::master::plan_sections(runs, std::nullopt, m.log);
        BOOST_TEST_REQUIRE(runs[0].state == section_state::awaiting_window);
        lacme::master::look_up_renewal_windows(m.loop(), runs);
        BOOST_TEST(runs[0].state == (started ? section_state::ordering : section_state::kept));
        BOOST_TEST(runs[0].csr.empty() == !started);
    }
}

// A CA without ARI (or Perl's client) fails renewal-info: min-days decides, the section stays.
BOOST_AUTO_TEST_CASE(no_renewal_window_keeps_the_min_days_decision, *utf::timeout(60))
{
    scripted_master m("echo 'renewalInfo not supported' >&2; exit 1\n");
    const auto s = installed_section(m);
    std::vector<section_run> runs{planned(s)};
    lacme::master::plan_sections(runs, std::nullopt, m.log);
    lacme::master::look_up_renewal_windows(m.loop(), runs);
    BOOST_TEST(runs[0].state == section_state::kept);
    const auto result = lacme::master::result_of(runs[0]);
    BOOST_TEST(result.status == section_status::skipped);
    BOOST_TEST(result.expiry.has_value());
}

BOOST_AUTO_TEST_CASE(ordering_installs_what_the_client_returns, *utf::timeout(60))
{
    scripted_master m("");
    m.with_silent_accountd();
    const auto s = lacme::test::section_in(m.dir, lacme::test::shared_p256());
    const std::string chain = shared_ca().chain_pem(*shared_ca().issue(lacme::test::shared_p256(), "www.example.org"));
    write_file(m.dir.file("chain"), chain);
    write_file(m.dir.file("client"), "cat >/dev/null; cat " + m.dir.file("chain") + "\n");
    std::vector<section_run> runs{planned(s)};
    lacme::master::plan_sections(runs, std::nullopt, m.log);
    BOOST_TEST_REQUIRE(runs[0].state == section_state::ordering);
    lacme::master::order_certificates(m.loop(), runs, m.dir.path());
    BOOST_TEST(runs[0].state == section_state::issued);
    BOOST_TEST(read_file(s.certificate_chain) == chain);
    BOOST_TEST((runs[0].paths == std::vector<std::string>{s.certificate, s.certificate_chain}));
    const auto result = lacme::master::result_of(runs[0]);
    BOOST_TEST(result.status == section_status::issued);
}

BOOST_AUTO_TEST_CASE(a_failing_client_fails_its_section_and_installs_nothing, *utf::timeout(60))
{
    scripted_master m("cat >/dev/null; exit 4\n");
    m.with_silent_accountd();
    const auto s = lacme::test::section_in(m.dir, lacme::test::shared_p256());
    std::vector<section_run> runs{planned(s)};
    lacme::master::plan_sections(runs, std::nullopt, m.log);
    lacme::master::order_certificates(m.loop(), runs, m.dir.path());
    BOOST_TEST(runs[0].state == section_state::failed);
    BOOST_TEST(runs[0].detail == "couldn't issue X.509 certificate: client exited with value 4");
    const auto files = m.dir.entries();
    BOOST_TEST((std::find(files.begin(), files.end(), "www.crt") == files.end()));
}

BOOST_AUTO_TEST_CASE(sections_left_ordering_fail_with_the_reason)
{
    const temp_dir dir;
    const auto s = lacme::test::section_in(dir, lacme::test::shared_p256());
    std::vector<section_run> runs{planned(s), planned(s), planned(s)};
    runs[0].state = section_state::ordering;
    runs[1].state = section_state::kept;
    runs[2].state = section_state::issued;
    lacme::master::fail_ordering(runs, "the webserver could not start");
    BOOST_TEST(runs[0].state == section_state::failed);
    BOOST_TEST(runs[0].detail == "the webserver could not start");
    BOOST_TEST(runs[1].state == section_state::kept);
    BOOST_TEST(runs[2].state == section_state::issued);
}

// A failing notify command fails the issued sections it serves; their files stay reported.
BOOST_AUTO_TEST_CASE(a_failing_notify_fails_the_issued_sections_it_serves, *utf::timeout(60))
{
    lacme::logger log(lacme::log_level::info);
    const temp_dir dir;
    auto failing = lacme::test::section_in(dir, lacme::test::shared_p256());
    failing.notify = "exit 5";
    auto fine = failing;
    fine.name = "fine";
    fine.notify = "true";
    fine.certificate_chain = dir.file("fine.chain.pem");
    auto kept = failing;
    kept.name = "kept";
    kept.certificate_chain = dir.file("kept.chain.pem");
    std::vector<section_run> runs = lacme::master::section_runs({&failing, &fine, &kept});
    for (auto* run : {&runs[0], &runs[1]}) {
        run->state = section_state::issued;
        run->paths = {"/etc/ssl/x.crt"};
    }
    runs[2].state = section_state::kept;
    // As the install does before its first rename: the notify is pending.
    lacme::master::record_pending_notify(failing);
    lacme::master::record_pending_notify(fine);
    lacme::master::notify_installed(runs, log);
    BOOST_TEST(runs[0].state == section_state::failed);
    BOOST_TEST(runs[0].detail == "installed, but notify `exit 5` exited with value 5");
    BOOST_TEST((lacme::master::result_of(runs[0]).paths == std::vector<std::string>{"/etc/ssl/x.crt"}));
    BOOST_TEST(runs[1].state == section_state::issued);
    BOOST_TEST(runs[2].state == section_state::kept);
}

BOOST_AUTO_TEST_CASE(a_section_never_finished_reports_not_issued)
{
    const temp_dir dir;
    const auto s = lacme::test::section_in(dir, lacme::test::shared_p256());
    auto run = planned(s);
    run.state = section_state::ordering;
    const auto result = lacme::master::result_of(run);
    BOOST_TEST(result.status == section_status::failed);
    BOOST_TEST(result.detail == "not issued");
}

BOOST_AUTO_TEST_SUITE_END()
