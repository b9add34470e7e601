// SPDX-License-Identifier: GPL-3.0-or-later
// Everything that answers http-01 challenges during a newOrder run, set up once before the
// first client starts and torn down (in reverse order) when the run ends: the challenge
// directory, the webservers on the listen addresses, and the optional iptables rules.
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
    challenge_responder(const settings& s, bool debug, logger& log);

    [[nodiscard]] const std::string& directory() const noexcept { return directory_.path(); }

private:
    challenge_directory directory_;
    std::unique_ptr<webserver_listeners> webservers_;  // none in challenge-directory mode
    std::unique_ptr<iptables_rules> iptables_;
};

}  // namespace lacme::master
