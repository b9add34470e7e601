// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/dns_tsig_key.hpp"

#include "common/error.hpp"
#include "common/fd_io.hpp"
#include "common/text.hpp"
#include "common/unique_fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace lacme::master {
namespace {

constexpr std::size_t max_key_file = std::size_t{16} * 1024;

// A word, a quoted string (quoted set, without its quotes) or one of "{};".
struct token {
    std::string_view text;
    bool quoted = false;
};

bool is_punctuation(char c)
{
    return c == '{' || c == '}' || c == ';';
}

std::size_t skip_comment(std::string_view text, std::size_t i, const std::string& file)
{
    if (text[i] == '#' || text.substr(i, 2) == "//") {
        const std::size_t end = text.find('\n', i);
        return end == std::string_view::npos ? text.size() : end;
    }
    if (text.substr(i, 2) == "/*") {
        const std::size_t end = text.find("*/", i + 2);
        if (end == std::string_view::npos)
            throw error(file + ": unterminated comment");
        return end + 2;
    }
    return i;
}

std::vector<token> tokenize(std::string_view text, const std::string& file)
{
    std::vector<token> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        if (const std::size_t after = skip_comment(text, i, file); after != i) {
            i = after;
        } else if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
            ++i;
        } else if (is_punctuation(text[i])) {
            tokens.push_back({text.substr(i, 1)});
            ++i;
        } else if (text[i] == '"') {
            const std::size_t end = text.find('"', i + 1);
            if (end == std::string_view::npos)
                throw error(file + ": unterminated quoted string");
            tokens.push_back({text.substr(i + 1, end - i - 1), true});
            i = end + 1;
        } else {
            std::size_t end = i;
            while (end < text.size() && !is_punctuation(text[end]) && text[end] != '"' &&
                   std::string_view(" \t\r\n#").find(text[end]) == std::string_view::npos)
                ++end;
            tokens.push_back({text.substr(i, end - i)});
            i = end;
        }
    }
    return tokens;
}

bool is_base64(std::string_view text)
{
    const std::size_t pad = text.size() - std::min(text.size(), text.find_last_not_of('=') + 1);
    if (text.empty() || text.size() % 4 != 0 || pad > 2 || pad == text.size())
        return false;
    return std::all_of(text.begin(), text.end() - static_cast<std::ptrdiff_t>(pad), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    });
}

bool is_key_name(std::string_view name)
{
    return !name.empty() && name.size() <= 253 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
               c == '_';
    });
}

class key_parser {
public:
    key_parser(std::vector<token> tokens, const std::string& file) : tokens_(std::move(tokens)), file_(file) {}

    tsig_key parse()
    {
        expect_word("key");
        tsig_key key;
        const token name = next("the key's name");
        std::string_view name_text = name.text;
        if (name_text.ends_with('.'))
            name_text.remove_suffix(1);
        if (!is_key_name(name_text))
            throw error(file_ + ": bad key name '" + printable_for_log(name.text) + "'");
        key.name = ascii_lower(name_text);
        expect_word("{");
        std::optional<std::string> algorithm;
        bool has_secret = false;
        for (token t = next("'}'"); !(t.text == "}" && !t.quoted); t = next("'}'")) {
            if (t.text == "algorithm" && !t.quoted) {
                algorithm = ascii_lower(next("an algorithm").text);
            } else if (t.text == "secret" && !t.quoted) {
                const token secret = next("a secret");
                if (!secret.quoted || !is_base64(secret.text))
                    throw error(file_ + ": the secret of key '" + key.name + "' is not a quoted base64 string");
                key.secret = secret_string(secret.text);
                has_secret = true;
            } else {
                throw error(file_ + ": unexpected " + shown(t) + " in key '" + key.name + "'");
            }
            expect_word(";");
        }
        expect_word(";");
        if (pos_ != tokens_.size())
            throw error(file_ + ": more than one key statement (lacme takes one key per file)");
        if (!algorithm)
            throw error(file_ + ": key '" + key.name + "' has no algorithm");
        if (algorithm->ends_with('.'))
            algorithm->pop_back();
        if (std::find(tsig_algorithms.begin(), tsig_algorithms.end(), *algorithm) == tsig_algorithms.end())
            throw error(file_ + ": key '" + key.name + "': unsupported algorithm '" +
                        printable_for_log(*algorithm, 40) + "' (hmac-sha256, hmac-sha512 or hmac-sha1)");
        if (!has_secret)
            throw error(file_ + ": key '" + key.name + "' has no secret");
        key.algorithm = *algorithm;
        return key;
    }

private:
    // A quoted string may be a misplaced secret: never quoted back.
    static std::string shown(const token& t)
    {
        return t.quoted ? std::string("a quoted string") : "'" + printable_for_log(t.text, 40) + "'";
    }
    token next(std::string_view wanted)
    {
        if (pos_ == tokens_.size())
            throw error(file_ + ": expected " + std::string(wanted) + ", got the end of the file");
        return tokens_[pos_++];
    }
    void expect_word(std::string_view word)
    {
        const token t = next("'" + std::string(word) + "'");
        if (t.text != word || t.quoted)
            throw error(file_ + ": expected '" + std::string(word) + "', got " + shown(t));
    }

    std::vector<token> tokens_;
    const std::string& file_;
    std::size_t pos_ = 0;
};

}  // namespace

tsig_key parse_tsig_key(std::string_view text, const std::string& file)
{
    return key_parser(tokenize(text, file), file).parse();
}

tsig_key read_tsig_key(const std::string& path, uid_t owner_uid)
{
    const unique_fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd)
        throw_errno("dns-tsig-key " + path);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        throw_errno("dns-tsig-key " + path);
    if (!S_ISREG(st.st_mode))
        throw error("dns-tsig-key " + path + ": not a regular file");
    if (st.st_uid != owner_uid)
        throw error("dns-tsig-key " + path + ": not owned by root (it holds a secret)");
    if ((st.st_mode & 077) != 0)
        throw error("dns-tsig-key " + path + ": group or others may access it (it holds a secret: chmod 600)");
    std::string text = read_to_end(fd.get(), max_key_file, "dns-tsig-key " + path, true);
    const secret_string held(std::move(text));  // wipes text's buffer
    return parse_tsig_key(held.reveal(), "dns-tsig-key " + path);
}

}  // namespace lacme::master
