// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/order_command.hpp"

#include "common/error.hpp"
#include "common/path.hpp"
#include "master/certificate_config.hpp"
#include "master/certificate_config_items.hpp"
#include "master/certificate_files.hpp"
#include "master/certificate_text.hpp"
#include "master/challenge_responder.hpp"
#include "master/exit_status.hpp"
#include "master/run_summary.hpp"
#include "master/section_check.hpp"
#include "master/section_run.hpp"

#include <algorithm>
#include <iostream>

namespace lacme::master {
namespace {

// lacme 0.8 prints each new certificate on stdout (fingerprint and text); --json owns stdout.
void print_issued(const std::vector<section_run>& runs, logger& log)
{
    for (const auto& run : runs) {
        if (run.state != section_state::issued)
            continue;
        try {
            std::cout << certificate_text(*read_certificate_file(run.config->reference_certificate()),
                                          certificate_extensions::shown);
        } catch (const error& e) {
            log.info("[" + run.config->name + "] " + warning_text(e.what()));
        }
    }
    std::cout.flush();
}

challenge_responder::http_01 http_01_need(const std::vector<section_run>& runs)
{
    const bool needed = std::any_of(runs.begin(), runs.end(), [](const section_run& run) {
        return run.state == section_state::ordering && run.config->challenge == challenge_type::http_01;
    });
    return needed ? challenge_responder::http_01::needed : challenge_responder::http_01::not_needed;
}

}  // namespace

int run_order_command(master_loop& master)
{
    const auto& cl = master.options();
    const auto& s = master.config();
    auto& log = master.log();
    std::vector<certificate_section> all;
    section_selection selection;
    try {
        std::vector<std::string> warnings;
        all = load_certificate_sections(certificate_config_items(s, cl), parent_directory(s.config_file), &warnings);
        for (const auto& w : warnings)
            log.warning(w);
        selection = select_known_sections(all, cl.arguments);
    } catch (const error& e) {
        log.error(e.what());
        return exit_usage;
    }
    for (const auto& name : selection.unknown)
        log.warning("No such section " + name + ", skipping");  // lacme 0.8's words; exit 1

    std::vector<section_run> runs = section_runs(selection.sections);
    plan_sections(runs, cl.min_days, log);
    remove_stale_dns_records(master, runs);
    look_up_renewal_windows(master, runs);
    if (!master.interrupted() && any_in(runs, section_state::ordering)) {
        try {
            const challenge_responder responder(s, http_01_need(runs), cl.debug, log);
            order_certificates(master, runs, responder.directory());
        } catch (const error& e) {
            fail_ordering(runs, e.what());
        }
    }
    fail_ordering(runs, "not issued");  // interrupted before its client finished
    if (master.interrupted())
        log.info("Interrupted by signal " + std::to_string(master.interrupted_signal()));
    master.close_accountd();
    if (!cl.json)
        print_issued(runs, log);
    const int notify_interrupted_by = notify_installed(runs, log);
    if (notify_interrupted_by != 0)
        log.info("Interrupted by signal " + std::to_string(notify_interrupted_by));

    std::vector<section_result> results;
    results.reserve(runs.size());
    for (const auto& run : runs)
        results.push_back(result_of(run));
    for (const auto& r : results)
        // --quiet hides what lacme 0.8's hides, "valid until ..., skipping": never a renewal.
        log.log(r.status == section_status::skipped ? log_level::verbose : log_level::info, summary_line(r));
    if (results.size() > 1)  // one section's own line already says it all
        log.log(counts_worth_telling(results) ? log_level::info : log_level::verbose, counts_line(results));
    if (cl.json)
        std::cout << summary_json(results) << '\n';
    if (master.interrupted() || notify_interrupted_by != 0 || !selection.unknown.empty())
        return std::max(exit_failure, exit_status(results));
    return exit_status(results);
}

}  // namespace lacme::master
