// lacme revokeCert FILE...: each PEM certificate sent (DER) to one client run, in turn.
#pragma once

#include "master/master_loop.hpp"

namespace lacme::master {

int run_revoke_command(master_loop& master);

// The first certificate of a PEM file as DER; throws lacme::error naming the file.
std::string certificate_der_from_pem_file(const std::string& path);

}  // namespace lacme::master
