// SPDX-License-Identifier: GPL-3.0-or-later
// Test helper: Boost.Test printing for the std::optional and time_point values the master's tests compare.
#pragma once

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <optional>
#include <ostream>

namespace boost::test_tools::tt_detail {

template <class T>
struct print_log_value<std::optional<T>> {
    void operator()(std::ostream& out, const std::optional<T>& value)
    {
        if (value)
            print_log_value<T>()(out, *value);
        else
            out << "<nullopt>";
    }
};

template <class Clock, class Duration>
struct print_log_value<std::chrono::time_point<Clock, Duration>> {
    void operator()(std::ostream& out, const std::chrono::time_point<Clock, Duration>& value)
    {
        out << std::chrono::duration_cast<std::chrono::seconds>(value.time_since_epoch()).count()
            << "s since the epoch";
    }
};

}  // namespace boost::test_tools::tt_detail
