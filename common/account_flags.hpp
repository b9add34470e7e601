// SPDX-License-Identifier: GPL-3.0-or-later
// The FLAGS bits of `client account FLAGS ...`, lacme 0.8's client interface: the master builds
// them from its --register, --tos-agreed and --deactivate options, the client acts on them.
#pragma once

namespace lacme {

inline constexpr unsigned account_register = 0x01;
inline constexpr unsigned account_tos_agreed = 0x02;
inline constexpr unsigned account_deactivate = 0x04;

}  // namespace lacme
