// SPDX-License-Identifier: GPL-3.0-or-later
// Reading string members of JSON from outside (the CA, accountd, a journal on disk) without
// trusting their types: nlohmann's value()/get() would throw its own type_error instead.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace lacme {

// The member's value when `object` is an object and the member a string; nullopt otherwise.
inline std::optional<std::string> find_string_member(const nlohmann::json& object, std::string_view key)
{
    if (!object.is_object())
        return std::nullopt;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return std::nullopt;
    return it->get<std::string>();
}

// The same, empty when absent or of another type.
inline std::string string_member(const nlohmann::json& object, std::string_view key)
{
    return find_string_member(object, key).value_or(std::string());
}

}  // namespace lacme
