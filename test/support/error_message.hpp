// SPDX-License-Identifier: GPL-3.0-or-later
// Test helper: the message of the lacme::error a callable throws, for exact assertions.
#pragma once

#include "common/error.hpp"

#include <string>

namespace lacme::test {

// "<no exception>" when f returns normally; other exception types propagate (a test failure).
template <class F>
std::string error_message(F&& f)
{
    try {
        f();
    } catch (const lacme::error& e) {
        return e.what();
    }
    return "<no exception>";
}

}  // namespace lacme::test
