// SPDX-License-Identifier: GPL-3.0-or-later
#include "test/ca_parser_oracle/payload_corpus.hpp"

#include "test/support/x509_builder.hpp"
#include "common/base64url.hpp"

#include <cctype>
#include <cstdio>
#include <random>
#include <utility>

namespace lacme::test {
namespace {

using members = std::vector<std::pair<std::string, std::string>>;  // name as JSON string content, value as JSON text

std::string quoted(std::string_view text)
{
    return "\"" + std::string(text) + "\"";
}

std::string object(const members& m)
{
    std::string out = "{";
    for (const auto& [name, value] : m)
        out += (out.size() > 1 ? "," : "") + quoted(name) + ":" + value;
    return out + "}";
}

std::string b64(const std::string& der)
{
    return base64url_encode(der);
}

// Names the policy allows (policy A or B of the driver) and names it does not, in every form
// a parser might read differently.
const std::vector<std::string> dns_values = {
    "web1.example",         "www.web1.example",
    "*.web1.example",       "WEB1.example",
    "web1.example.",        "victim.example",
    "victim.example.",      "xn--vctim-bsa.example",
    "v\\u0069ctim.example", "web1.example\\u0000.victim.example",
    "*.victim.example",     "web1.example\\u2028",
    "VICTIM.EXAMPLE",       "",
};
const std::vector<std::string> ip_values = {
    "192.0.2.7",
    "10.1.2.3",
    "::ffff:10.1.2.3",
    "::ffff:192.0.2.7",
    "::10.1.2.3",
    "0:0:0:0:0:ffff:a01:203",
    "2001:db8:1::7",
    "2001:DB8:1::7",
    "2001:db8:2::7",
    "010.1.2.3",
    "192.0.2.7/32",
    "::ffff:0a01:0203",
    "",
};

class generator {
public:
    explicit generator(unsigned seed) : rng_(seed) { make_der_variants(); }

    corpus_case next()
    {
        switch (below(10)) {
        case 0: return {order(), coin(8)};
        case 1: return {authz(), coin(8)};
        case 2: return {finalize(), coin(8)};
        case 3: return {revoke(), coin(2)};
        case 4: return {account(), coin(3) != 0};
        case 5: return {lookup(), !coin(5)};
        case 6: return {deactivate(), coin(8)};
        case 7: return {keychange(), coin(2)};
        case 8: return {challenge(), coin(8)};
        default: return {with_extra_member(pick_shape()), coin(2)};
        }
    }

private:
    std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
    bool coin(std::size_t one_in) { return below(one_in) == 0; }
    template <class T>
    const T& pick(const std::vector<T>& from)
    {
        return from[below(from.size())];
    }

    // A member name as the CA's decoder might still match it to `name`.
    std::string name(std::string_view exact)
    {
        std::string n(exact);
        if (!coin(3))
            return n;
        switch (below(7)) {
        case 0:
            for (char& c : n)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            return n;
        case 1: n[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(n[0]))); return n;
        case 2:
            for (char& c : n)
                if (coin(2))
                    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            return n;
        case 3: return fold(n, "\xC5\xBF", "\xE2\x84\xAA");  // ſ, Kelvin sign
        case 4: return fold(n, "\\u017f", "\\u212a");
        case 5: {
            const std::size_t at = below(n.size());
            char hex[8];
            std::snprintf(hex, sizeof hex, coin(2) ? "\\u%04x" : "\\u%04X", static_cast<unsigned char>(n[at]));
            return n.substr(0, at) + hex + n.substr(at + 1);
        }
        default: return n + (coin(2) ? " " : "\\u0000");
        }
    }

    static std::string fold(std::string n, std::string_view long_s, std::string_view kelvin)
    {
        for (std::size_t at = 0; at < n.size(); ++at)
            if (n[at] == 's' || n[at] == 'S' || n[at] == 'k' || n[at] == 'K') {
                n.replace(at, 1, (n[at] == 's' || n[at] == 'S') ? long_s : kelvin);
                return n;
            }
        return n;
    }

    // A value where a string belongs; now and then something else.
    std::string string_value(const std::string& text)
    {
        if (!coin(12))
            return quoted(text);
        return pick(std::vector<std::string>{"null", "5", "true", "false", "[" + quoted(text) + "]",
                                             "{\"value\":" + quoted(text) + "}", "1e2", "-0"});
    }

    std::pair<std::string, std::string> typed_value()
    {
        if (coin(2))
            return {"dns", pick(dns_values)};
        if (coin(8))
            return {pick(std::vector<std::string>{"DNS", "ip ", "email", "Ip", ""}), pick(dns_values)};
        return {"ip", pick(ip_values)};
    }

    std::string identifier()
    {
        const auto [type, value] = typed_value();
        members m = {{name("type"), string_value(type)}, {name("value"), string_value(value)}};
        if (coin(4))  // a second value or type, as a fold or a duplicate of the name
            m.insert(m.begin() + static_cast<long>(below(m.size() + 1)),
                     {name(coin(2) ? "value" : "type"), quoted(coin(2) ? "victim.example" : typed_value().second)});
        if (coin(10))
            m.emplace_back(pick(std::vector<std::string>{"wildcard", "x", "status"}), "true");
        if (coin(15))
            m.erase(m.begin() + static_cast<long>(below(m.size())));
        return object(m);
    }

    std::string order()
    {
        std::string ids = "[";
        for (std::size_t i = 0, n = 1 + below(3); i < n; ++i)
            ids += (i ? "," : "") + identifier();
        ids += coin(20) ? ",null]" : "]";
        members m = {{name("identifiers"), ids}};
        for (const char* optional : {"notBefore", "notAfter", "replaces", "profile"})
            if (coin(6))
                m.emplace_back(name(optional), string_value("2030-01-01T00:00:00Z"));
        if (coin(5))
            m.emplace_back(name("identifiers"), "[" + identifier() + "]");
        return object(m);
    }

    std::string authz()
    {
        members m = {{name("identifier"), identifier()}};
        if (coin(5))
            m.emplace_back(name("identifier"), identifier());
        return object(m);
    }

    std::string finalize()
    {
        members m = {{name("csr"), string_value(pick(csrs_))}};
        if (coin(5))
            m.emplace_back(name("csr"), quoted(pick(csrs_)));
        return object(m);
    }

    std::string revoke()
    {
        members m = {{name("certificate"), string_value(pick(certificates_))}};
        if (coin(3))
            m.emplace_back(name("reason"), pick(std::vector<std::string>{"0", "4", "\"1\"", "null", "-1", "1.0"}));
        if (coin(6))
            m.emplace_back(name("certificate"), quoted(pick(certificates_)));
        return object(m);
    }

    std::string contact()
    {
        return pick(
            std::vector<std::string>{"[\"mailto:victim@example.org\"]", "[]", "null", "\"mailto:a@b.example\"", "[5]"});
    }

    std::string account()
    {
        members m;
        if (coin(2))
            m.emplace_back(name("contact"), contact());
        if (coin(2))
            m.emplace_back(name("termsOfServiceAgreed"),
                           pick(std::vector<std::string>{"true", "false", "\"true\"", "null"}));
        if (coin(4))
            m.emplace_back(name("onlyReturnExisting"), pick(std::vector<std::string>{"true", "false", "1"}));
        if (coin(6))
            m.emplace_back(name("externalAccountBinding"),
                           coin(2) ? R"({"protected":"a","payload":"b","signature":"c"})" : R"({"protected":"a"})");
        if (coin(8))
            m.emplace_back(name("status"), string_value("deactivated"));
        return object(m);
    }

    // Look-up shaped: onlyReturnExisting true, and now and then something more.
    std::string lookup()
    {
        members m = {{name("onlyReturnExisting"), coin(10) ? "false" : "true"}};
        if (coin(2))
            m.emplace_back(name(coin(2) ? "contact" : "termsOfServiceAgreed"), coin(2) ? contact() : "true");
        if (coin(8))
            m.emplace_back(name("status"), quoted("deactivated"));
        return object(m);
    }

    std::string deactivate()
    {
        members m = {{name("status"), string_value(coin(6) ? "valid" : "deactivated")}};
        if (coin(4))
            m.emplace_back(name(coin(2) ? "status" : "contact"), coin(2) ? quoted("valid") : contact());
        return object(m);
    }

    std::string keychange()
    {
        if (coin(2)) {
            members m = {{name("protected"), string_value("e30")},
                         {name("payload"), string_value("e30")},
                         {name("signature"), string_value("AA")}};
            if (coin(4))
                m.emplace_back(name("payload"), quoted("e30"));
            return object(m);
        }
        members old_key = {{"kty", quoted("EC")}, {"crv", quoted("P-256")}, {"x", quoted("AA")}, {"y", quoted("AA")}};
        if (coin(4))
            old_key.emplace_back(name("x"), quoted("BB"));
        members m = {{name("account"), string_value("https://ca.example/acct/1")}, {name("oldKey"), object(old_key)}};
        if (coin(6))
            m.emplace_back(name("contact"), contact());
        return object(m);
    }

    std::string challenge()
    {
        if (coin(2))
            return "{}";
        return object({{name(pick(std::vector<std::string>{"contact", "status", "keyAuthorization", "csr"})),
                        coin(2) ? contact() : quoted("deactivated")}});
    }

    std::string pick_shape()
    {
        switch (below(5)) {
        case 0: return order();
        case 1: return authz();
        case 2: return finalize();
        case 3: return revoke();
        default: return lookup();
        }
    }

    // Another request's member inside a payload of a known shape, at the top or one level down.
    std::string with_extra_member(std::string payload)
    {
        static const std::vector<std::string> extras = {R"("contact":["mailto:victim@example.org"])",
                                                        R"("Contact":[])",
                                                        R"("status":"deactivated")",
                                                        R"("identifiers":[{"type":"dns","value":"victim.example"}])",
                                                        R"("identifier":{"type":"dns","value":"victim.example"})",
                                                        R"("oldKey":{"kty":"EC"})",
                                                        R"("onlyReturnExisting":true)"};
        if (payload.size() < 2)
            return payload;
        const std::size_t brace = coin(2) ? payload.rfind('}', payload.size() - 2) : std::string::npos;
        const std::size_t at = brace == std::string::npos || brace == 0 ? payload.size() - 1 : brace;
        return payload.substr(0, at) + "," + pick(extras) + payload.substr(at);
    }

    void make_der_variants()
    {
        const auto csr = [](std::string_view cn, std::initializer_list<std::string_view> sans) {
            csr_builder b(cn);
            if (sans.size() != 0)
                b.san_attribute(sans);
            return b64(b.der());
        };
        csrs_ = {
            csr("web1.example", {"DNS:web1.example"}),
            csr("web1.example", {}),
            csr("victim.example", {}),
            csr("", {"DNS:web1.example,DNS:www.web1.example"}),
            csr("web1.example", {"DNS:web1.example", "DNS:victim.example"}),
            csr("web1.example", {"DNS:web1.example,email:a@victim.example"}),
            csr("web1.example", {"DNS:web1.example,URI:https://victim.example/"}),
            csr("", {"IP:::ffff:10.1.2.3"}),
            csr("", {"IP:192.0.2.7,IP:2001:db8:1::7"}),
            csr("::ffff:10.1.2.3", {}),
            csr("", {"DNS:*.web1.example"}),
            csr("", {"DNS:web1.example."}),
            b64(csr_builder("web1.example")
                    .san_attribute({"DNS:web1.example"})
                    .san_attribute({"DNS:victim.example"})
                    .der()),
            b64(csr_builder("web1.example")
                    .san_attribute({"DNS:web1.example"}, NID_ms_ext_req)
                    .san_attribute({"DNS:victim.example"})
                    .der()),
            b64(csr_builder("web1.example").san_attribute({"DNS:victim.example"}, NID_ms_ext_req).der()),
            b64(csr_builder("web1.example")
                    .san_attribute({"DNS:web1.example"})
                    .second_value({"DNS:victim.example"})
                    .der()),
            b64(csr_builder("web1.example").san_attribute({"DNS:web1.example"}, NID_ext_req, true).der()),
            b64(csr_builder("web1.example").undecodable_extensions().der()),
            b64(csr_builder("web1.example").san_attribute({}).san_attribute({"DNS:victim.example"}).der()),
            b64(csr_builder("web1.example")
                    .san_attribute({}, NID_ms_ext_req)
                    .san_attribute({"DNS:victim.example"})
                    .der()),
            b64(csr_builder("web1.example").undecodable_extensions().san_attribute({"DNS:victim.example"}).der()),
            "AAAA",
        };
        certificates_ = {
            b64(der_certificate("web1.example", "DNS:web1.example")),
            b64(der_certificate("victim.example", "")),
            b64(der_certificate("web1.example", "DNS:web1.example,DNS:victim.example")),
            b64(der_certificate("", "IP:::ffff:10.1.2.3")),
            b64(der_certificate("", "IP:192.0.2.7")),
        };
    }

    std::mt19937 rng_;
    std::vector<std::string> csrs_;
    std::vector<std::string> certificates_;
};

// The attacks of the review (issue 19), as sent.
std::vector<corpus_case> reviewed_attacks()
{
    const std::string two_attributes = b64(
        csr_builder("web1.example").san_attribute({"DNS:web1.example"}).san_attribute({"DNS:victim.example"}).der());
    // Go's crypto/x509 refuses a repeated extension: the first attribute requests none.
    const std::string empty_then_victim =
        b64(csr_builder("web1.example").san_attribute({}).san_attribute({"DNS:victim.example"}).der());
    return {
        {R"({"csr":")" + two_attributes + "\"}", false},
        {R"({"csr":")" + empty_then_victim + "\"}", false},
        {R"({"identifiers":[{"type":"dns","value":"web1.example","VALUE":"victim.example"}]})", false},
        {R"({"identifiers":[{"type":"dns","value":"web1.example","vAlUe":"victim.example"}]})", false},
        {R"({"identifier":{"type":"dns","value":"web1.example","\u0056ALUE":"victim.example"}})", false},
        {R"({"onlyReturnExisting":true,"contact":["mailto:victim@example.org"]})", false},
        {R"({"onlyReturnExisting":true,"contact":["mailto:victim@example.org"]})", true},
        {R"({"identifiers":[{"type":"ip","value":"::ffff:10.1.2.3"}]})", false},
        {R"({"identifier":{"type":"ip","value":"::10.1.2.3"}})", false},
    };
}

}  // namespace

std::vector<corpus_case> payload_corpus(std::size_t count, unsigned seed)
{
    std::vector<corpus_case> corpus = reviewed_attacks();
    generator random(seed);
    while (corpus.size() < count)
        corpus.push_back(random.next());
    return corpus;
}

}  // namespace lacme::test
