// SPDX-License-Identifier: GPL-3.0-or-later
#include "ssh/forced_command.hpp"

#include "common/text.hpp"

#include <cstdlib>

namespace lacme::ssh {

std::optional<std::string> ignored_command_note(std::optional<std::string_view> original_command)
{
    if (!original_command)
        return std::nullopt;
    return "Forced command: ignoring the command the SSH client asked for (\"" + printable_for_log(*original_command) +
           "\")";
}

std::optional<std::string> ignored_command_note_from_environment()
{
    const char* value = std::getenv("SSH_ORIGINAL_COMMAND");
    return ignored_command_note(value == nullptr ? std::nullopt : std::optional<std::string_view>(value));
}

}  // namespace lacme::ssh
