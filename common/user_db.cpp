// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/user_db.hpp"

#include <grp.h>
#include <pwd.h>

#include <cerrno>
#include <cstddef>
#include <vector>

namespace lacme {
namespace {

constexpr std::size_t max_entry_size = 1 << 20;  // ERANGE grows the buffer up to this

// Calls a get*_r function, growing its buffer on ERANGE, and copies the entry out with
// `copy` while the buffer it points into is alive.
template <class Entry, class Key, class Result>
std::optional<Result> lookup(int (*get)(Key, Entry*, char*, std::size_t, Entry**), Key key,
                             Result (*copy)(const Entry&))
{
    for (std::vector<char> storage(16384);; storage.resize(storage.size() * 2)) {
        Entry entry{};
        Entry* result = nullptr;
        const int rc = get(key, &entry, storage.data(), storage.size(), &result);
        if (rc == ERANGE && storage.size() < max_entry_size)
            continue;
        if (rc != 0 || result == nullptr)
            return std::nullopt;
        return copy(entry);
    }
}

user_entry copy_user(const passwd& p)
{
    return {p.pw_name, p.pw_uid, p.pw_gid, p.pw_dir, p.pw_shell};
}
group_entry copy_group(const group& g)
{
    return {g.gr_name, g.gr_gid};
}

}  // namespace

std::optional<user_entry> find_user(const std::string& name)
{
    return lookup(::getpwnam_r, name.c_str(), copy_user);
}

std::optional<user_entry> find_user(uid_t uid)
{
    return lookup(::getpwuid_r, uid, copy_user);
}

std::optional<group_entry> find_group(const std::string& name)
{
    return lookup(::getgrnam_r, name.c_str(), copy_group);
}

std::optional<group_entry> find_group(gid_t gid)
{
    return lookup(::getgrgid_r, gid, copy_group);
}

}  // namespace lacme
