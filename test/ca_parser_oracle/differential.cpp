// SPDX-License-Identifier: GPL-3.0-or-later
// ca_parser_differential ORACLE [COUNT]: the rule of doc/accountd-protocol.md, tested. Every
// corpus payload goes to accountd's decision (classifier, CSR reader, identifier match) under
// two policies and to ORACLE, the CA's own Go parsers (test/ca_parser_oracle/main.go); a
// payload accountd would sign whose CA reading names an identifier, an operation or an account
// change the policy does not allow is a disagreement, and fails the run.
// COUNT (default: $LACME_DIFFERENTIAL_CASES, else 12000) and the seed ($LACME_DIFFERENTIAL_SEED,
// else 19) choose the corpus; bench/ca-parser-differential is the long mode.
#include "test/ca_parser_oracle/payload_corpus.hpp"

#include "accountd/policy/policy_decision.hpp"
#include "common/base64url.hpp"
#include "common/child_process.hpp"
#include "common/error.hpp"
#include "common/fd_io.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

using lacme::accountd::signing_policy;
using json = nlohmann::json;

struct named_policy {
    const char* name;
    signing_policy policy;
};

std::vector<named_policy> policies()
{
    const auto parse = [](const char* identifiers, const char* wildcards, const char* operations) {
        return lacme::accountd::parse_signing_policy(std::string("[policy]\nlabel = web1\nca = https://ca.example/\n") +
                                                         "identifiers = " + identifiers + "\nwildcards = " + wildcards +
                                                         "\noperations = " + operations + "\n",
                                                     "differential");
    };
    return {
        {"A",
         parse("web1.example *.web1.example 192.0.2.0/24 2001:db8:1::/48", "", "order revoke deactivate keychange")},
        {"B", parse("web1.example *.web1.example 192.0.2.7 ::/0", "*.web1.example",
                    "order revoke account deactivate keychange")},
    };
}

std::string header(bool jwk)
{
    return std::string(R"({"alg":"ES256","nonce":"n","url":"https://ca.example/x",)") +
           (jwk ? R"("jwk":{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}})" : R"("kid":"https://ca.example/acct/1"})");
}

// What the CA's reading asks for that the policy does not allow; empty when nothing.
std::vector<std::string> unseen(const signing_policy& policy, const json& reading)
{
    std::vector<std::string> problems;
    const auto needs = [&](const char* what, const char* operation) {
        if (!policy.operations.contains(operation))
            problems.push_back(std::string(what) + " needs " + operation);
    };
    for (const auto& [kind, operation] :
         {std::pair{"order", "order"}, {"authz", "order"}, {"csr", "order"}, {"certificate", "revoke"}}) {
        if (!reading.contains(kind))
            continue;
        needs(kind, operation);
        for (const auto& id : reading[kind])
            if (!policy.identifiers.allows({id[0].get<std::string>(), id[1].get<std::string>()}))
                problems.push_back(std::string(kind) + " names " + id[0].get<std::string>() + ":" +
                                   id[1].get<std::string>());
    }
    if (reading.contains("account"))
        needs(("account " + reading["account"].get<std::string>()).c_str(), "account");
    if (reading.contains("deactivate"))
        needs("deactivation", "deactivate");
    if (reading.contains("keychange"))
        needs("key change", "keychange");
    return problems;
}

// The oracle's reading of every payload, one JSON object per payload.
std::vector<json> oracle_readings(const std::string& oracle, const std::vector<lacme::test::corpus_case>& corpus)
{
    std::string dir_template = (std::filesystem::temp_directory_path() / "ca-differential.XXXXXX").string();
    if (::mkdtemp(dir_template.data()) == nullptr)
        lacme::throw_errno("can't create a temporary directory");
    const std::filesystem::path dir = dir_template;
    {
        std::ofstream in(dir / "payloads");
        for (const auto& c : corpus)
            in << lacme::base64url_encode(c.payload) << '\n';
    }
    const lacme::unique_fd in(::open((dir / "payloads").c_str(), O_RDONLY | O_CLOEXEC));
    const lacme::unique_fd out(::open((dir / "readings").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!in || !out)
        lacme::throw_errno("can't open the oracle's files in " + dir.string());
    lacme::child_spec spec;
    spec.argv = {oracle};
    spec.directory = "";
    spec.fds = {{in.get(), 0}, {out.get(), 1}, {2, 2}};
    const int status = lacme::spawn_child(spec).wait();
    std::vector<json> readings;
    std::ifstream lines(dir / "readings");
    for (std::string line; std::getline(lines, line);)
        readings.push_back(json::parse(line));
    std::filesystem::remove_all(dir);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw lacme::error(oracle + " " + lacme::describe_wait_status(status));
    if (readings.size() != corpus.size())
        throw lacme::error("the oracle read " + std::to_string(readings.size()) + " of " +
                           std::to_string(corpus.size()) + " payloads");
    return readings;
}

std::size_t from_environment(const char* name, std::size_t fallback)
{
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::stoul(value) : fallback;
}

int run(const std::string& oracle, std::size_t count)
{
    const auto corpus =
        lacme::test::payload_corpus(count, static_cast<unsigned>(from_environment("LACME_DIFFERENTIAL_SEED", 19)));
    const auto readings = oracle_readings(oracle, corpus);
    std::size_t disagreements = 0;
    for (const auto& [name, policy] : policies()) {
        std::size_t signed_count = 0;
        for (std::size_t i = 0; i < corpus.size(); ++i) {
            const auto decision = lacme::accountd::decide(policy, header(corpus[i].jwk_headed), corpus[i].payload);
            if (!decision.allowed)
                continue;
            ++signed_count;
            const auto problems = unseen(policy, readings[i]);
            if (problems.empty())
                continue;
            if (++disagreements <= 20) {
                std::cerr << "disagreement under policy " << name
                          << " (accountd: " << operation_name(decision.request.op) << "; CA: " << readings[i].dump()
                          << "): " << problems.front() << "\n  " << (corpus[i].jwk_headed ? "jwk " : "kid ")
                          << json(corpus[i].payload).dump() << "\n";
            }
        }
        std::cout << "policy " << name << ": " << signed_count << " of " << corpus.size() << " payloads signed\n";
    }
    std::cout << corpus.size() << " cases, " << disagreements << " disagreements with the CA's parsers\n";
    return disagreements == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 2 || argc > 3) {
        std::cerr << "usage: ca_parser_differential ORACLE [COUNT]\n";
        return 2;
    }
    try {
        return run(argv[1], argc == 3 ? std::stoul(argv[2]) : from_environment("LACME_DIFFERENTIAL_CASES", 12000));
    } catch (const std::exception& e) {
        std::cerr << "ca_parser_differential: " << e.what() << "\n";
        return 2;
    }
}
