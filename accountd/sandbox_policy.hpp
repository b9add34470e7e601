// SPDX-License-Identifier: GPL-3.0-or-later
// What lacme-accountd may do once it serves: its one sandbox table (accountd/sandbox_policy.cpp,
// printed in lacme-accountd(1) under SANDBOX; test/unit/accountd/sandbox_table_test.cpp keeps
// them equal). Some rules only apply to keys signed by a PKCS#11 module or an OpenSSL provider
// (pkcs11: and store:), chosen from the key's method: those backends read their own files and
// talk to their daemons (swtpm, pcscd) at signing time, which an in-memory key never needs.
#pragma once

#include "common/sandbox.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace lacme::accountd {

enum class key_kind {
    in_memory,  // file:, gpg: (decrypted before the sandbox)
    external,  // pkcs11:, store:
};

// From privkey's method (the text before its first ':').
key_kind key_kind_of(std::string_view privkey) noexcept;

// The rules of one key kind, out of the table.
class accountd_sandbox {
public:
    explicit accountd_sandbox(key_kind kind);
    accountd_sandbox(const accountd_sandbox&) = delete;
    accountd_sandbox& operator=(const accountd_sandbox&) = delete;

    [[nodiscard]] const sandbox::policy& policy() const noexcept { return policy_; }

private:
    std::vector<sandbox::syscall_rule> syscalls_;
    std::vector<sandbox::path_rule> paths_;
    sandbox::policy policy_;
};

// Directories known at run time, granted on top of the table (each skipped when unset or absent).
struct runtime_directories {
    std::vector<std::string> state_directories;  // the signing policies' (rate limits)
    std::string pin_state_dir;  // pkcs11: keys (rejected PINs)
    std::vector<std::string> socket_directories;  // the sockets are unlinked from them on exit
    std::vector<std::string> backend_write_dirs;  // --sandbox-write-dir
};

// Landlock rules for those directories; they point into `dirs`, which must outlive them.
std::vector<sandbox::path_rule> runtime_path_rules(const runtime_directories& dirs);

// Every rule, each saying which keys it applies to: what lacme-accountd(1) prints.
const sandbox::policy& documented_sandbox_policy() noexcept;

}  // namespace lacme::accountd
