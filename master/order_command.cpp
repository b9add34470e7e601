#include "master/order_command.hpp"

#include "common/error.hpp"
#include "common/path.hpp"
#include "common/percent_expand.hpp"
#include "common/renewal_info.hpp"
#include "master/certificate_config.hpp"
#include "master/certificate_files.hpp"
#include "master/certificate_install.hpp"
#include "master/challenge_responder.hpp"
#include "master/csr.hpp"
#include "master/notify.hpp"
#include "master/renewal.hpp"
#include "master/run_summary.hpp"
#include "master/section_check.hpp"
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

// A section to issue, with its CSR, and the ARI identifier of the certificate it replaces
// (empty when there is none, or it has no Authority Key Identifier).
struct order_job {
    const certificate_section* section;
    std::size_t result_index;
    std::string csr;
    std::string replaces;
};

// A section whose installed certificate min-days keeps: the CA's renewal window may still say
// otherwise (RFC 9773).
struct window_lookup {
    const certificate_section* section;
    std::size_t result_index;
    std::string certificate_der;
};

struct order_plan {
    std::vector<order_job> orders;
    std::vector<window_lookup> lookups;
};

client_invocation order_invocation(const settings& s, order_job job, const std::string& challenge_dir)
{
    client_invocation invocation;
    invocation.command = "newOrder";
    if (!job.replaces.empty())
        invocation.arguments.push_back("--replaces=" + job.replaces);
    const auto names = job.section->identifiers();
    invocation.arguments.insert(invocation.arguments.end(), names.begin(), names.end());
    invocation.config = s.client_config;
    if (job.section->preferred_chain)
        invocation.config["preferred-chain"] = *job.section->preferred_chain;
    invocation.input = std::move(job.csr);
    invocation.directory = challenge_dir;
    return invocation;
}

client_invocation window_invocation(const settings& s, std::string certificate_der)
{
    client_invocation invocation;
    invocation.command = "renewal-info";
    invocation.config = s.client_config;
    invocation.input = std::move(certificate_der);
    invocation.show_errors = false;  // a CA without ARI (or Perl's client) is the common case
    invocation.signs = false;
    return invocation;
}

// The ARI identifier of the installed certificate, empty if it has none.
std::string replaced_certificate_id(const certificate_section& section, logger& log)
{
    try {
        return ari_certificate_id(der_of(*read_certificate_file(section.reference_certificate())));
    } catch (const error& e) {
        log.debug("[" + section.name + "] no ARI identifier for the installed certificate: " + e.what());
        return {};
    }
}

// Renew (CSR and job) or skip, per the decision; the result at index says which. A section to
// renew whose certificate could not be installed fails here, before the CA is asked for it.
void plan_section(const certificate_section& section, const renewal_decision& decision, std::size_t index,
                  std::vector<section_result>& results, std::vector<order_job>& orders, logger& log)
{
    if (!decision.renew) {
        results[index] = {section.name, section_status::skipped, decision.expiry, {}, decision.reason};
        return;
    }
    log.debug("[" + section.name + "] renewing: " + decision.reason);
    try {
        if (const auto problems = installation_problems(section); !problems.empty())
            throw error(problems.front());
        const auto der = build_csr(section);
        results[index] = failed(section.name, "not issued");  // until the client succeeds
        orders.push_back({&section, index, std::string(der.begin(), der.end()),
                          decision.expiry ? replaced_certificate_id(section, log) : std::string()});
    } catch (const error& e) {
        results[index] = failed(section.name, e.what());
    }
}

// Renewal decision (min-days) and the checks that need no CA for each section; fills results
// for those that end here.
order_plan plan_orders(const std::vector<const certificate_section*>& sections, const command_line& cl,
                       std::vector<section_result>& results, logger& log)
{
    order_plan plan;
    const auto now = std::chrono::system_clock::now();
    for (const auto* section : sections) {
        results.push_back(failed(section->name, "not issued"));
        const std::size_t index = results.size() - 1;
        try {
            if (!section->errors.empty())
                throw error(section->errors.front());
            for (const auto& path : finish_interrupted_install(*section))
                log.info("[" + section->name + "] completed the interrupted install of " + path);
            const renewal_decision decision = decide_renewal(*section, cl.min_days, false, now);
            plan_section(*section, decision, index, results, plan.orders, log);
            if (!decision.renew && decision.expiry)
                plan.lookups.push_back({section, index, der_of(*read_certificate_file(section->reference_certificate()))});
        } catch (const error& e) {
            results[index] = failed(section->name, e.what());
        }
    }
    return plan;
}

// Asks the CA for each lookup's renewal window (the client's renewal-info) and moves to
// plan.orders the sections whose window has started. No window (a CA without ARI, a client
// without renewal-info) leaves the min-days decision alone. False when a signal interrupted.
bool look_up_renewal_windows(master_loop& master, order_plan& plan, std::vector<section_result>& results)
{
    if (plan.lookups.empty())
        return true;
    auto& log = master.log();
    section_runner runner(master, master.options().max_concurrent);
    for (auto& lookup : plan.lookups) {
        runner.add({lookup.section->name, window_invocation(master.config(), std::move(lookup.certificate_der)),
                    [&, section = lookup.section, index = lookup.result_index](client_result r) {
                        const std::string tag = "[" + section->name + "] ";
                        try {
                            if (r.failure)
                                throw error("renewal-info " + *r.failure);
                            const auto window = suggested_window(nlohmann::json::parse(r.output, nullptr, false));
                            const auto decision = decide_renewal(*section, master.options().min_days, false,
                                                                 std::chrono::system_clock::now(), window);
                            plan_section(*section, decision, index, results, plan.orders, log);
                        } catch (const error& e) {
                            log.debug(tag + "no renewal window from the CA: " + e.what());
                        }
                    }});
    }
    plan.lookups.clear();
    return runner.run();
}

void install_chain(const certificate_section& section, const client_result& client, section_result& result, logger& log)
{
    try {
        if (client.failure)
            throw error("couldn't issue X.509 certificate: " + *client.failure);
        const installed_certificate installed = verify_and_install(section, client.output, client.started);
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
    order_plan plan = plan_orders(sections, cl, results, log);
    auto& jobs = plan.orders;
    if (look_up_renewal_windows(master, plan, results) && !jobs.empty()) {
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
            const certificate_section* section = job.section;
            const std::size_t index = job.result_index;
            log.debug("[" + section->name + "] Will request authorization for the order's identifiers");
            runner.add({section->name, order_invocation(s, std::move(job), responder->directory()),
                        [&, section, index](client_result r) { install_chain(*section, r, results[index], log); }});
        }
        if (!jobs.empty())
            runner.run();
    }
    if (master.interrupted())
        log.info("Interrupted by signal " + std::to_string(master.interrupted_signal()));
    master.close_accountd();
    run_notify(sections, results, log);

    for (const auto& r : results)
        log.log(r.status == section_status::failed ? log_level::info : log_level::verbose, summary_line(r));
    if (cl.json)
        std::cout << summary_json(results) << '\n';
    return master.interrupted() ? exit_failure : exit_status(results);
}

}  // namespace lacme::master
