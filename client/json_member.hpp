// SPDX-License-Identifier: GPL-3.0-or-later
// Reading members of CA-supplied JSON objects without trusting their types.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace lacme::client {

// The member's value when it is a string; empty when absent or of another type.
inline std::string string_member(const nlohmann::json& object, const char* key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace lacme::client
