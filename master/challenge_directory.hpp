// Where the client writes challenge files for the webserver: a fresh private temp dir (0755,
// owned by the client user), or lacme's `challenge-directory` (must exist and be empty, locked
// with `.lacme.lock` created O_EXCL). Both are emptied when the run ends.
#pragma once

#include <string>

namespace lacme::master {

class challenge_directory {
public:
    // TMPDIR/acme-challenge.XXXXXXXXXX, removed with everything in it.
    static challenge_directory fresh(const std::string& client_user);
    // The configured directory; its files are unlinked at the end, the lock file last.
    static challenge_directory existing(const std::string& path);

    challenge_directory(challenge_directory&& other) noexcept;
    challenge_directory& operator=(challenge_directory&&) = delete;
    challenge_directory(const challenge_directory&) = delete;
    challenge_directory& operator=(const challenge_directory&) = delete;
    ~challenge_directory();

    [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
    challenge_directory(std::string path, bool owned) : path_(std::move(path)), owned_(owned) {}

    std::string path_;  // empty once moved from
    bool owned_;        // a temp dir of ours: removed itself, not only emptied
};

inline constexpr const char* challenge_lock_name = ".lacme.lock";

}  // namespace lacme::master
