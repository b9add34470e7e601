// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/subject_name.hpp"

#include "common/error.hpp"
#include "common/openssl_error.hpp"

#include <openssl/objects.h>

namespace lacme::master {

std::vector<subject_entry> parse_subject(std::string_view text)
{
    if (!text.starts_with('/'))
        throw error("subject must have the form /type0=value0/type1=value1/...");
    std::vector<subject_entry> entries;
    std::size_t i = 1;
    bool joins_previous = false;
    while (i < text.size()) {
        const std::size_t eq = text.find('=', i);
        if (eq == std::string_view::npos)
            throw error("subject: missing '=' after type '" + std::string(text.substr(i)) + "'");
        const std::string type(text.substr(i, eq - i));
        std::string value;
        bool next_joins = false;
        for (i = eq + 1; i < text.size() && text[i] != '/'; ++i) {
            if (text[i] == '+') {
                next_joins = true;
                break;
            }
            if (text[i] == '\\' && ++i == text.size())
                throw error("subject: escape character at the end");
            value += text[i];
        }
        if (i < text.size())
            ++i;  // past the '/' or '+'
        const int nid = OBJ_txt2nid(type.c_str());
        if (nid == NID_undef)
            throw error("subject: unknown attribute type '" + type + "'");
        if (!value.empty())
            entries.push_back({nid, std::move(value), joins_previous});
        joins_previous = next_joins;
    }
    return entries;
}

x509_name_ptr make_x509_name(const std::vector<subject_entry>& entries)
{
    x509_name_ptr name(X509_NAME_new());
    if (!name)
        throw_openssl("X509_NAME_new");
    for (const auto& e : entries) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(e.value.data());
        if (X509_NAME_add_entry_by_NID(name.get(), e.nid, MBSTRING_ASC, bytes, static_cast<int>(e.value.size()), -1,
                                       e.joins_previous ? -1 : 0) != 1)
            throw_openssl("subject: invalid value for " + std::string(OBJ_nid2sn(e.nid)));
    }
    return name;
}

}  // namespace lacme::master
