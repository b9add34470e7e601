// SPDX-License-Identifier: GPL-3.0-or-later
// accountd --stdio run by sshd as an authorized_keys forced command: sshd puts whatever the
// client asked to run into SSH_ORIGINAL_COMMAND. We never act on it (the options that matter,
// such as --policy, are fixed by the forced command); we only say so at debug level.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lacme::ssh {

// The debug line about an ignored client command; nullopt when there is none (unset variable:
// not a forced command, or the client asked for no command).
[[nodiscard]] std::optional<std::string> ignored_command_note(std::optional<std::string_view> original_command);

// The same for this process's SSH_ORIGINAL_COMMAND.
[[nodiscard]] std::optional<std::string> ignored_command_note_from_environment();

}  // namespace lacme::ssh
