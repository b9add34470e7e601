#include "master/order_command.hpp"

#include "common/error.hpp"
#include "common/path.hpp"
#include "common/percent_expand.hpp"
#include "master/certificate_config.hpp"
#include "master/challenge_responder.hpp"
#include "master/run_summary.hpp"
#include "master/section_check.hpp"
#include "master/section_run.hpp"

#include <iostream>

namespace lacme::master {
namespace {

constexpr int exit_failure = 1;
constexpr int exit_config = 2;

}  // namespace

std::vector<std::string> certificate_config_items(const settings& s, const command_line& cl)
{
    std::vector<std::string> items = !cl.config_certs.empty() ? cl.config_certs
                                     : !s.config_certs.empty() ? s.config_certs
                                                               : std::vector<std::string>{"lacme-certs.conf", "lacme-certs.conf.d/"};
    const auto expander = percent_expander::for_current_process();
    for (auto& item : items)
        item = expander.expand(item);
    return items;
}

int run_order_command(master_loop& master)
{
    const auto& cl = master.options();
    const auto& s = master.config();
    auto& log = master.log();
    std::vector<certificate_section> all;
    std::vector<const certificate_section*> sections;
    try {
        std::vector<std::string> warnings;
        all = load_certificate_sections(certificate_config_items(s, cl), parent_directory(s.config_file), &warnings);
        for (const auto& w : warnings)
            log.info("Warning: " + w);
        sections = select_sections(all, cl.arguments);
    } catch (const error& e) {
        log.info(std::string("Error: ") + e.what());
        return exit_config;
    }

    std::vector<section_run> runs = section_runs(sections);
    plan_sections(runs, cl.min_days, log);
    look_up_renewal_windows(master, runs);
    if (!master.interrupted() && any_in(runs, section_state::ordering)) {
        try {
            const challenge_responder responder(s, cl.debug, log);
            order_certificates(master, runs, responder.directory());
        } catch (const error& e) {
            fail_ordering(runs, e.what());
        }
    }
    fail_ordering(runs, "not issued");  // interrupted before its client finished
    if (master.interrupted())
        log.info("Interrupted by signal " + std::to_string(master.interrupted_signal()));
    master.close_accountd();
    notify_issued(runs, log);

    std::vector<section_result> results;
    for (const auto& run : runs)
        results.push_back(result_of(run));
    for (const auto& r : results)
        log.log(r.status == section_status::failed ? log_level::info : log_level::verbose, summary_line(r));
    if (cl.json)
        std::cout << summary_json(results) << '\n';
    return master.interrupted() ? exit_failure : exit_status(results);
}

}  // namespace lacme::master
