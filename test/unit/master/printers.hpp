// Test helper: Boost.Test printing for the std::optional values the master's tests compare.
#pragma once

#include <boost/test/unit_test.hpp>

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

}  // namespace boost::test_tools::tt_detail
