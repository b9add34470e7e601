// SPDX-License-Identifier: GPL-3.0-or-later
// `account FLAGS [OPTIONS] [CONTACT...]` as lacme 0.8's master invokes it (FLAGS: 1 register,
// 2 terms of service agreed, 4 deactivate), plus what lacme lacks: EAB and key rollover.
#pragma once

#include "client/acme_session.hpp"
#include "common/account_flags.hpp"
#include "common/unique_fd.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace lacme::client {

struct account_request {
    unsigned flags = 0;
    std::vector<std::string> contacts;
    std::string eab_kid;
    std::string eab_hmac_key;  // base64url text (file contents)
    // keyChange: a connection to an accountd holding the new key, from --new-key-socket=PATH
    // (connected while parsing) or --new-key-fd=N (lacme's --rollover hands it over).
    unique_fd new_key_connection;
};

// Parses the arguments after FLAGS: --eab-kid=, --eab-hmac-key=FILE ("-": stdin, so the key
// never stands in an argv), --new-key-socket=PATH or --new-key-fd=N, then contacts; reads the
// key file and connects to the socket (the client's set-up, before its sandbox). Throws
// lacme::error.
account_request parse_account_arguments(const std::vector<std::string>& args);

// The account object as printed: JSON (indented when pretty) in printable ASCII only, whatever
// the CA put in its strings (no terminal escape, no DEL, no raw UTF-8).
std::string account_json_text(const nlohmann::json& account, bool pretty);

// Prints the account object on `out`; returns the exit status.
int run_account(acme_session& session, account_request request, std::ostream& out, bool out_is_tty);

}  // namespace lacme::client
