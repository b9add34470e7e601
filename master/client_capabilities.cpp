// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/client_capabilities.hpp"

#include "master/section_runner.hpp"

namespace lacme::master {

client_capabilities parse_client_capabilities(std::string_view output)
{
    client_capabilities found;
    while (!output.empty()) {
        const auto end = std::min(output.find('\n'), output.size());
        const auto feature = output.substr(0, end);
        if (feature == "newOrder --replaces")
            found.replaces = true;
        else if (feature == "newOrders")
            found.orders = true;
        output.remove_prefix(std::min(end + 1, output.size()));
    }
    return found;
}

client_capabilities query_client_capabilities(master_loop& master)
{
    client_invocation query;
    query.command = "capabilities";
    query.config = master.config().client_config;
    query.show_errors = false;  // lacme 0.8's client fails it: expected
    query.signs = false;
    client_capabilities found;
    section_runner runner(master, 1);
    runner.add({"client", std::move(query), [&](const client_result& r) {
                    if (!r.failure)
                        found = parse_client_capabilities(r.output);
                }});
    runner.run();
    master.log().debug(std::string("client capabilities: --replaces ") + (found.replaces ? "yes" : "no") +
                       ", newOrders " + (found.orders ? "yes" : "no"));
    return found;
}

}  // namespace lacme::master
