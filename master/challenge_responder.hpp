// SPDX-License-Identifier: GPL-3.0-or-later
// Everything that answers http-01 challenges during a newOrder run, set up once before the
// first client starts and torn down (in reverse order) when the run ends: the challenge
// directory, the webservers on the listen addresses, and the optional iptables rules. A run
// with no http-01 section gets only an empty fresh directory (the clients' cwd): nothing listens,
// no firewall rule opens (dns-01 is for hosts the CA cannot reach, or where port 80 is taken).
#pragma once

#include "common/log.hpp"
#include "master/challenge_directory.hpp"
#include "master/iptables.hpp"
#include "master/settings.hpp"
#include "master/webserver_listeners.hpp"

#include <memory>
#include <optional>

namespace lacme::master {

class challenge_responder {
public:
    enum class http_01 { needed, not_needed };

    challenge_responder(const settings& s, http_01 http, bool debug, logger& log);

    [[nodiscard]] const std::string& directory() const noexcept { return directory_.path(); }

private:
    challenge_directory directory_;
    std::unique_ptr<webserver_listeners> webservers_;  // none in challenge-directory mode
    std::unique_ptr<iptables_rules> iptables_;
};

}  // namespace lacme::master
