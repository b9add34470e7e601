// SPDX-License-Identifier: GPL-3.0-or-later
// Boost.Test printers for the policy types of accountd's unit tests.
#pragma once

#include "accountd/policy/identifier_match.hpp"
#include "accountd/policy/signing_request_classifier.hpp"

#include <ostream>

namespace lacme::accountd {

inline std::ostream& operator<<(std::ostream& out, const identifier& id)
{
    return out << to_string(id);
}
inline std::ostream& operator<<(std::ostream& out, operation op)
{
    return out << operation_name(op) << "#" << static_cast<int>(op);
}

}  // namespace lacme::accountd
