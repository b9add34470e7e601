// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes the master's certificate configuration (lacme-certs.conf and lacme-certs.conf.d/*.conf)
// read from text as each file is. Invariants: sections or a lacme::error, nothing else; sections
// come sorted and unique by name; every error and warning is one line naming the file; a section
// without errors has what an order and an install need.
#include "common/error.hpp"
#include "master/certificate_config.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using namespace lacme::master;

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

void require_message(std::string_view message)
{
    require(message.starts_with("fuzz.conf:"));
    require(message.find('\n') == std::string_view::npos);
}

void check(const certificate_section& s)
{
    require(!s.name.empty());
    require_message(s.origin);
    for (const auto& e : s.errors)
        require_message(e);
    const auto identifiers = s.identifiers();
    for (const auto& alt : s.subject_alt_names)
        require(std::find(identifiers.begin(), identifiers.end(), alt.value) != identifiers.end());
    if (!s.errors.empty())
        return;
    require(!identifiers.empty());
    require(!s.certificate_key.empty());
    require(!s.reference_certificate().empty());
    require(!s.chown || !s.chown->user.empty());
    require(!s.chmod || *s.chmod <= 07777);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> warnings;
    std::vector<certificate_section> sections;
    try {
        sections = parse_certificate_sections(text, "fuzz.conf", &warnings);
    } catch (const lacme::error& e) {
        require_message(e.what());
        return 0;
    }
    for (const auto& w : warnings)
        require_message(w);
    for (std::size_t i = 0; i < sections.size(); ++i) {
        check(sections[i]);
        if (i > 0)
            require(sections[i - 1].name < sections[i].name);
    }
    require(select_sections(sections, {}).size() == sections.size());
    if (!sections.empty()) {
        const std::vector<std::string> names{sections.back().name, "\n", sections.back().name};
        const auto selection = select_known_sections(sections, names);
        require(selection.sections.size() == 1 && selection.unknown.size() == 1);
    }
    return 0;
}
