// SPDX-License-Identifier: GPL-3.0-or-later
// The resident-memory floor of the client's job: a C++ program that makes one HTTPS GET through
// Debian's libcurl (system CA store through its hashed directory and GnuTLS's implicit init
// skipped, both as in the client) and prints its peak RSS (VmHWM, kB).
// bench/issue_full_stack.sh prints it beside the client's peak RSS.
// usage: https-get-floor URL
#include <curl/curl.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace {

std::size_t discard(char*, std::size_t size, std::size_t count, void*)
{
    return size * count;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fputs("usage: https-get-floor URL\n", stderr);
        return 2;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
    CURL* easy = curl_easy_init();
    if (!easy)
        return 1;
    curl_easy_setopt(easy, CURLOPT_URL, argv[1]);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(easy, CURLOPT_CAINFO, static_cast<const char*>(nullptr));
    const CURLcode rc = curl_easy_perform(easy);
    curl_easy_cleanup(easy);
    curl_global_cleanup();
    if (rc != CURLE_OK) {
        std::fprintf(stderr, "https-get-floor: %s\n", curl_easy_strerror(rc));
        return 1;
    }
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with("VmHWM:"))
            std::printf("%s\n", line.c_str() + 6);
    return 0;
}
