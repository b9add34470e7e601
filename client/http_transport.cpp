#include "client/http_transport.hpp"

#include <cctype>

namespace lacme::client {
namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::optional<std::string> http_response::header(std::string_view name) const
{
    for (const auto& [n, v] : headers)
        if (n == name)
            return v;
    return std::nullopt;
}

std::vector<std::string> http_response::headers_named(std::string_view name) const
{
    std::vector<std::string> values;
    for (const auto& [n, v] : headers)
        if (n == name)
            values.push_back(v);
    return values;
}

std::string http_response::media_type() const
{
    const auto value = header("content-type");
    if (!value)
        return {};
    return lower(trim(std::string_view(*value).substr(0, value->find(';'))));
}

}  // namespace lacme::client
