#include "master/order_command.hpp"

#include "common/error.hpp"
#include "common/path.hpp"
#include "common/percent_expand.hpp"
#include "master/certificate_config.hpp"
#include "master/certificate_install.hpp"
#include "master/challenge_responder.hpp"
#include "master/csr.hpp"
#include "master/notify.hpp"
#include "master/renewal.hpp"
#include "master/run_summary.hpp"
#include "master/section_runner.hpp"

#include <iostream>

namespace lacme::master {
namespace {

constexpr int exit_failure = 1;
constexpr int exit_config = 2;

section_result failed(const std::string& section, std::string error)
{
    return {section, section_status::failed, std::nullopt, {}, std::move(error)};
}

// A section that passed the renewal decision and has its CSR: the client's input.
struct order_job {
    const certificate_section* section;
    std::size_t result_index;
    std::string csr;
};

client_invocation order_invocation(const settings& s, const certificate_section& section, std::string csr,
                                   const std::string& challenge_dir)
{
    client_invocation invocation;
    invocation.command = "newOrder";
    invocation.arguments = section.identifiers();
    invocation.config = s.client_config;
    if (section.preferred_chain)
        invocation.config["preferred-chain"] = *section.preferred_chain;
    invocation.input = std::move(csr);
    invocation.directory = challenge_dir;
    return invocation;
}

// Renewal decision and CSR for each section; fills results for those that end here.
std::vector<order_job> prepare_jobs(const std::vector<const certificate_section*>& sections, const command_line& cl,
                                    std::vector<section_result>& results, logger& log)
{
    std::vector<order_job> jobs;
    const auto now = std::chrono::system_clock::now();
    for (const auto* section : sections) {
        try {
            if (!section->errors.empty())
                throw error(section->errors.front());
            const renewal_decision decision = decide_renewal(*section, cl.min_days, false, now);
            if (!decision.renew) {
                results.push_back({section->name, section_status::skipped, decision.expiry, {}, decision.reason});
                continue;
            }
            log.debug("[" + section->name + "] renewing: " + decision.reason);
            const auto der = build_csr(*section);
            results.push_back(failed(section->name, "not issued"));  // until the client succeeds
            jobs.push_back({section, results.size() - 1, std::string(der.begin(), der.end())});
        } catch (const error& e) {
            results.push_back(failed(section->name, e.what()));
        }
    }
    return jobs;
}

void install_chain(const certificate_section& section, const client_result& client, section_result& result, logger& log)
{
    try {
        if (client.failure)
            throw error("couldn't issue X.509 certificate: " + *client.failure);
        const installed_certificate installed = verify_and_install(section, client.output);
        result = {section.name, section_status::issued, installed.expiry, installed.paths, {}};
        log.debug(summary_line(result));
    } catch (const error& e) {
        result = failed(section.name, e.what());
    }
}

void run_notify(const std::vector<const certificate_section*>& sections, std::vector<section_result>& results, logger& log)
{
    std::vector<std::string> commands;
    for (std::size_t i = 0; i < sections.size(); ++i)
        if (sections[i]->notify && results[i].status == section_status::issued)
            commands.push_back(*sections[i]->notify);
    for (const auto& failure : run_notify_commands(commands, log)) {
        // The certificate is installed, but the service still runs the old one: a failure.
        for (std::size_t i = 0; i < sections.size(); ++i)
            if (sections[i]->notify == failure.command && results[i].status == section_status::issued)
                results[i] = {results[i].section, section_status::failed, results[i].expiry, results[i].paths,
                              "installed, but notify `" + failure.command + "` " + failure.reason};
    }
}

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
        all = load_certificate_sections(certificate_config_items(s, cl), parent_directory(s.config_file));
        sections = select_sections(all, cl.arguments);
    } catch (const error& e) {
        log.info(std::string("Error: ") + e.what());
        return exit_config;
    }

    std::vector<section_result> results;
    std::vector<order_job> jobs = prepare_jobs(sections, cl, results, log);
    if (!jobs.empty()) {
        std::optional<challenge_responder> responder;
        try {
            responder.emplace(s, cl.debug, log);
        } catch (const error& e) {
            for (const auto& job : jobs)
                results[job.result_index] = failed(job.section->name, e.what());
            jobs.clear();
        }
        section_runner runner(master, cl.max_concurrent);
        for (auto& job : jobs) {
            log.debug("[" + job.section->name + "] Will request authorization for the order's identifiers");
            runner.add({job.section->name, order_invocation(s, *job.section, std::move(job.csr), responder->directory()),
                        [&, section = job.section, index = job.result_index](client_result r) {
                            install_chain(*section, r, results[index], log);
                        }});
        }
        if (!jobs.empty() && !runner.run())
            log.info("Interrupted by signal " + std::to_string(master.interrupted_signal()));
        master.close_accountd();
    }
    run_notify(sections, results, log);

    for (const auto& r : results)
        log.log(r.status == section_status::failed ? log_level::info : log_level::verbose, summary_line(r));
    if (cl.json)
        std::cout << summary_json(results) << '\n';
    return master.interrupted() ? exit_failure : exit_status(results);
}

}  // namespace lacme::master
