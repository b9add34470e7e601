// SPDX-License-Identifier: GPL-3.0-or-later
// http-01 key-authorization files in the cwd (the challenge directory the webserver serves):
// created O_CREAT|O_EXCL|O_NOFOLLOW, removed when the order is over whatever its outcome. Also
// watches them being read, to time the first finalize attempt: a CA validates each token from
// several vantage points, and the order is ready only once every fetch is answered.
#pragma once

#include "client/challenge_responses.hpp"
#include "client/run_log.hpp"

#include "common/unique_fd.hpp"

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lacme::client {

class challenge_files final : public challenge_responses {
public:
    explicit challenge_files(run_log& log);
    ~challenge_files() override;

    [[nodiscard]] std::string_view type() const noexcept override { return "http-01"; }
    void stage(std::string_view, const std::string& token, std::string_view key_authorization) override
    {
        write(token, key_authorization);
    }
    void publish() override {}  // the files are served as soon as they are written
    void wait_for_validation(std::chrono::milliseconds longest) override { wait_for_fetches(longest); }

    // Writes TOKEN with the key authorization; an existing file is left alone with a warning
    // (as lacme does). Throws lacme::error on I/O errors.
    void write(const std::string& token, std::string_view key_authorization);

    // Returns once every file created here was fetched at least once and no fetch came for a
    // short quiet period (inotify), or once each was read at least once (atime, when inotify is
    // unavailable); at the latest after `longest`. Only a guess of when validation is over;
    // callers must cope with "not ready yet".
    void wait_for_fetches(std::chrono::milliseconds longest);

private:
    // Counts the fetches inotify reported since the last call; true when any was of our files.
    bool drain_events();
    [[nodiscard]] int fewest_fetches() const;
    void start_watching();
    void stop_watching() noexcept;
    [[nodiscard]] bool all_read_once() const;  // atime fallback

    run_log& log_;
    std::vector<std::string> created_;
    std::map<std::string, int, std::less<>> fetches_;
    unique_fd inotify_;
    int watch_ = -1;
};

}  // namespace lacme::client
