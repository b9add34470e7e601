// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/challenge_responder.hpp"

namespace lacme::master {
namespace {

challenge_directory directory_for(const settings& s, challenge_responder::http_01 http, logger& log)
{
    if (http == challenge_responder::http_01::not_needed) {
        log.debug("No http-01 section in this run: no webserver");
        return challenge_directory::fresh(s.client.user);
    }
    if (s.webserver.challenge_directory) {
        log.debug("Using existing webserver on " + *s.webserver.challenge_directory);
        return challenge_directory::existing(*s.webserver.challenge_directory, s.webserver.role.user);
    }
    require_challenge_responder(s.webserver);
    return challenge_directory::fresh(s.client.user);
}

}  // namespace

challenge_responder::challenge_responder(const settings& s, http_01 http, bool debug, logger& log)
    : directory_(directory_for(s, http, log))
{
    if (http == http_01::not_needed || s.webserver.challenge_directory)
        return;  // nothing to serve, or an external HTTP daemon serves it: no listen, no iptables
    webservers_ = std::make_unique<webserver_listeners>(s.webserver, directory_.path(), debug);
    for (const auto& a : webservers_->addresses())
        log.debug("Forked ACME webserver bound to " + a.text);
    if (s.webserver.iptables)
        iptables_ = std::make_unique<iptables_rules>(webservers_->firewall_addresses(), log, runtime_directory());
}

}  // namespace lacme::master
