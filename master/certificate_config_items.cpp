// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/certificate_config_items.hpp"

#include "common/percent_expand.hpp"

namespace lacme::master {

std::vector<std::string> certificate_config_items(const settings& s, const command_line& cl)
{
    std::vector<std::string> items = !cl.config_certs.empty() ? cl.config_certs
                                     : !s.config_certs.empty()
                                         ? s.config_certs
                                         : std::vector<std::string>{"lacme-certs.conf", "lacme-certs.conf.d/"};
    const auto expander = percent_expander::for_current_process();
    for (auto& item : items)
        item = expander.expand(item);
    return items;
}

}  // namespace lacme::master
