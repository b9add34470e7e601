// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzzes what lacme-accountd reads from sshd's environment and from operators' key files:
// SSH_CONNECTION, the ExposeAuthInfo file and OpenSSH public key lines. Hostile input must give
// an empty field or nullopt, never a crash; whatever is accepted must re-parse to itself and be
// printable, since it goes into log lines and the audit log.
#include "ssh/caller_identity.hpp"
#include "ssh/openssh_public_key.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

bool printable(std::string_view text)
{
    for (const char c : text)
        if (c < 0x20 || c > 0x7e)
            return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto address = lacme::ssh::address_from_ssh_connection(text.substr(0, text.find('\n')));
    require(printable(address));
    const auto key_text = lacme::ssh::key_from_auth_info(text);
    require(printable(key_text));
    if (const auto key = lacme::ssh::parse_openssh_public_key(text)) {
        const auto again = lacme::ssh::parse_openssh_public_key(key->text());
        require(again && again->text() == key->text());
        require(lacme::ssh::fingerprint(*key).starts_with("SHA256:"));
    }
    const auto description = lacme::ssh::describe({address, key_text});
    require(!description.empty() && printable(description));
    return 0;
}
