// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes the install journal a crashed run leaves beside a certificate, which the next run
// reads and acts on (renames as root). Invariants: renames or a lacme::error, nothing else,
// and the error is one line; every accepted rename replaces one of the section's targets with
// a temporary file of that target, in the same directory, with the name staged_file gives it
// (nothing a C string would cut short); written back, the renames read back the same.
#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "master/install_journal.hpp"

#include <algorithm>
#include <cctype>
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const std::vector<std::string> targets{"/etc/ssl/lacme/cert.pem", "/etc/ssl/lacme/chain.pem", "key.pem"};
    static const std::string journal = install_journal_path(targets.front());
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    std::vector<journal_rename> renames;
    try {
        renames = parse_install_journal(text, journal, targets);
    } catch (const lacme::error& e) {
        const std::string_view message(e.what());
        require(message.starts_with(journal + ": ") && message.find('\n') == std::string_view::npos);
        return 0;
    }
    for (const auto& r : renames) {
        require(std::find(targets.begin(), targets.end(), r.to) != targets.end());
        require(lacme::is_staged_temporary_of(r.from, r.to));
        const std::string_view directory(r.to.data(), r.to.rfind('/') + 1);
        const std::string_view name = std::string_view(r.from).substr(directory.size());
        require(r.from.starts_with(directory) && name.find('/') == std::string_view::npos);
        require(std::all_of(name.end() - 6, name.end(), [](unsigned char c) { return std::isalnum(c); }));
    }
    require(parse_install_journal(install_journal_text(renames), journal, targets) == renames);
    return 0;
}
