// SPDX-License-Identifier: GPL-3.0-or-later
// Test helper: stream output for the enums tests compare, so Boost.Test can print them.
#pragma once

#include "common/accountd_protocol.hpp"
#include "common/jwk.hpp"

#include <ostream>

namespace lacme {

inline std::ostream& operator<<(std::ostream& out, signing_input_verdict verdict)
{
    return out << describe(verdict);
}

inline std::ostream& operator<<(std::ostream& out, jws_algorithm alg)
{
    return out << jws_algorithm_name(alg);
}

}  // namespace lacme
