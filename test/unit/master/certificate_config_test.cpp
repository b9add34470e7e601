// SPDX-License-Identifier: GPL-3.0-or-later
#include "master/certificate_config.hpp"

#include "test/support/error_message.hpp"
#include "test/support/temp_dir.hpp"
#include "printers.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

#include <sys/stat.h>

using lacme::master::certificate_section;
using lacme::master::load_certificate_sections;
using lacme::master::select_sections;
using lacme::master::subject_alt_name;
using lacme::test::error_message;
using lacme::test::temp_dir;
using lacme::test::write_file;

namespace {

std::vector<certificate_section> load(const temp_dir& dir, std::vector<std::string> items)
{
    return load_certificate_sections(items, dir.path());
}

const std::string minimal = "certificate = /etc/ssl/www.pem\n"
                            "certificate-key = /etc/ssl/www.key\n"
                            "subject = /CN=www.example.org\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(certificate_config)

BOOST_AUTO_TEST_CASE(reads_every_key)
{
    temp_dir dir;
    write_file(dir.file("certs.conf"),
               "[www]\n"
               "certificate = /etc/ssl/www.crt\n"
               "certificate-chain = /etc/ssl/www.chain.pem\n"
               "certificate-key = /etc/ssl/www.key\n"
               "min-days = -3\n"
               "subject = /O=Example\\/Org/CN=www.example.org\n"
               "subjectAltName = DNS:www.example.org, DNS:example.org,IP:2001:DB8:0:0::1 , IP:192.0.2.7\n"
               "CAfile = /etc/ssl/ca.pem\n"
               "hash = sha384\n"
               "keyUsage = digitalSignature, keyEncipherment\n"
               "tlsfeature = status_request\n"
               "chown = root:ssl-cert\n"
               "chmod = 0640\n"
               "notify = systemctl reload nginx\n"
               "preferred-chain = ISRG Root X1\n");
    const auto sections = load(dir, {"certs.conf"});
    BOOST_REQUIRE_EQUAL(sections.size(), 1u);
    const auto& s = sections[0];
    BOOST_TEST(s.errors.empty());
    BOOST_TEST(s.name == "www");
    BOOST_TEST(s.origin == dir.file("certs.conf") + ":1");
    BOOST_TEST(s.certificate == "/etc/ssl/www.crt");
    BOOST_TEST(s.certificate_chain == "/etc/ssl/www.chain.pem");
    BOOST_TEST(s.reference_certificate() == "/etc/ssl/www.chain.pem");
    BOOST_TEST(s.certificate_key == "/etc/ssl/www.key");
    BOOST_TEST(s.min_days == -3);
    BOOST_TEST(s.subject == "/O=Example\\/Org/CN=www.example.org");
    BOOST_TEST(s.ca_file == "/etc/ssl/ca.pem");
    BOOST_TEST(s.hash == "sha384");
    BOOST_TEST(s.key_usage == "digitalSignature, keyEncipherment");
    BOOST_TEST(s.tls_feature == "status_request");
    BOOST_TEST(s.chown->user == "root");
    BOOST_TEST(s.chown->group == "ssl-cert");
    BOOST_TEST(s.chmod == 0640u);
    BOOST_TEST(s.notify == "systemctl reload nginx");
    BOOST_TEST(s.preferred_chain == "ISRG Root X1");
    using kind = subject_alt_name::kind;
    BOOST_TEST((s.subject_alt_names == std::vector<subject_alt_name>{{kind::dns, "www.example.org"},
                                                                     {kind::dns, "example.org"},
                                                                     {kind::ip, "2001:db8::1"},
                                                                     {kind::ip, "192.0.2.7"}}));
    BOOST_TEST(
        (s.identifiers() == std::vector<std::string>{"www.example.org", "example.org", "2001:db8::1", "192.0.2.7"}));
}

BOOST_AUTO_TEST_CASE(defaults_of_lacme)
{
    temp_dir dir;
    write_file(dir.file("certs.conf"), "[www]\n" + minimal);
    const auto s = load(dir, {"certs.conf"}).at(0);
    BOOST_TEST(s.errors.empty());
    BOOST_TEST(s.certificate_chain.empty());
    BOOST_TEST(s.reference_certificate() == "/etc/ssl/www.pem");
    BOOST_TEST(!s.min_days);
    BOOST_TEST(s.ca_file == "/usr/share/lacme/ca-certificates.crt");
    BOOST_TEST(!s.hash);
    BOOST_TEST(!s.chown);
    BOOST_TEST(!s.chmod);
    BOOST_TEST(!s.notify);
    BOOST_TEST(s.identifiers() == std::vector<std::string>{"www.example.org"});
}

BOOST_AUTO_TEST_CASE(empty_cafile_means_no_verification)
{
    temp_dir dir;
    write_file(dir.file("c.conf"), "[www]\n" + minimal + "CAfile =\n");
    BOOST_TEST(load(dir, {"c.conf"}).at(0).ca_file.empty());
}

BOOST_AUTO_TEST_CASE(deprecated_owner_and_mode_win_over_chown_and_chmod)
{
    temp_dir dir;
    write_file(dir.file("c.conf"), "[www]\n" + minimal + "chown = a\nowner = b:c\nchmod = 0600\nmode = 644\n");
    const auto s = load(dir, {"c.conf"}).at(0);
    BOOST_TEST(s.chown->user == "b");
    BOOST_TEST(s.chmod == 0644u);
}

BOOST_AUTO_TEST_CASE(default_section_applies_to_sections_read_after_it)
{
    temp_dir dir;
    write_file(dir.file("a.conf"), "[first]\n" + minimal);
    write_file(dir.file("b.conf"), "chmod = 0600\nCAfile = /ca.pem\n[second]\n" + minimal + "CAfile = /own.pem\n");
    const auto sections = load(dir, {"a.conf", "b.conf"});
    BOOST_REQUIRE_EQUAL(sections.size(), 2u);
    BOOST_TEST(!sections[0].chmod);
    BOOST_TEST(sections[1].chmod == 0600u);
    BOOST_TEST(sections[1].ca_file == "/own.pem");
}

BOOST_AUTO_TEST_CASE(directory_conf_files_in_order_and_later_sections_replace_earlier)
{
    temp_dir dir;
    ::mkdir(dir.file("certs.d").c_str(), 0755);
    write_file(dir.file("main.conf"), "[www]\n" + minimal + "chmod = 0600\n[zz]\n" + minimal);
    write_file(dir.file("certs.d/20-www.conf"), "[www]\n" + minimal + "notify = late\n");
    write_file(dir.file("certs.d/10-www.conf"), "[www]\n" + minimal + "notify = early\n");
    write_file(dir.file("certs.d/www.conf.dpkg-old"), "[www]\nbogus = 1\n");
    for (const std::string item : {"certs.d/", "certs.d"}) {
        const auto sections = load(dir, {"main.conf", item});
        BOOST_REQUIRE_EQUAL(sections.size(), 2u);
        BOOST_TEST(sections[0].name == "www");
        BOOST_TEST(sections[0].notify == "late");
        BOOST_TEST(!sections[0].chmod);  // the whole section was replaced
        BOOST_TEST(sections[1].name == "zz");
    }
}

BOOST_AUTO_TEST_CASE(absolute_items_ignore_the_config_directory)
{
    temp_dir dir;
    write_file(dir.file("c.conf"), "[www]\n" + minimal);
    BOOST_TEST(load_certificate_sections(std::vector<std::string>{dir.file("c.conf")}, "/nonexistent").size() == 1u);
}

BOOST_AUTO_TEST_CASE(structural_errors_name_file_line_and_key)
{
    temp_dir dir;
    write_file(dir.file("c.conf"), "[www]\n" + minimal + "subjectAltNames = DNS:a.example\n");
    BOOST_TEST(error_message([&] { load(dir, {"c.conf"}); }) ==
               dir.file("c.conf") + ":5: unknown key 'subjectAltNames' in section [www]");
    // lacme 0.8 ignores unknown keys in the default section: a warning, not an error.
    write_file(dir.file("d.conf"), "colour = blue\n[www]\n" + minimal);
    std::vector<std::string> warnings;
    const std::vector<std::string> d_items{dir.file("d.conf")};
    BOOST_TEST(lacme::master::load_certificate_sections(d_items, dir.path(), &warnings).size() == 1u);
    BOOST_REQUIRE(warnings.size() == 1u);
    BOOST_TEST(warnings[0] ==
               dir.file("d.conf") + ":1: unknown key 'colour' in the default section: ignored, as lacme 0.8 does");
    write_file(dir.file("e.conf"), "[www]\nnot a key value line\n");
    BOOST_TEST(error_message([&] { load(dir, {"e.conf"}); }) ==
               dir.file("e.conf") + ":2: syntax error: 'not a key value line'");
    BOOST_TEST(error_message([&] { load(dir, {"missing.conf"}); }) ==
               "can't open " + dir.file("missing.conf") + ": No such file or directory");
    BOOST_TEST(
        error_message([&] { load(dir, {"missing.d/"}); }).starts_with("can't read directory " + dir.file("missing.d")));
}

BOOST_AUTO_TEST_CASE(bad_values_fail_only_their_section)
{
    struct bad_case {
        std::string line;
        std::string error;
    };
    const std::vector<bad_case> cases = {
        {"subjectAltName = DNS:ok.example, DNS:bad_name.example",
         "subjectAltName: invalid DNS name 'bad_name.example'"},
        {"subjectAltName = DNS:*.*.example.org", "subjectAltName: invalid DNS name '*.*.example.org'"},
        {"subjectAltName = DNS:*.org", "subjectAltName: invalid DNS name '*.org'"},
        {"challenge = tls-alpn-01", "challenge: expected http-01 or dns-01, got 'tls-alpn-01'"},
        {"dns-propagation-timeout = 0",
         "dns-propagation-timeout: expected a number of seconds from 1 to 86400, got '0'"},
        {"dns-hook-timeout = 0", "dns-hook-timeout: expected a number of seconds from 1 to 3600, got '0'"},
        {"dns-hook-timeout = 3601", "dns-hook-timeout: expected a number of seconds from 1 to 3600, got '3601'"},
        {"dns-hook-timeout = 5s", "dns-hook-timeout: expected a number of seconds from 1 to 3600, got '5s'"},
        {"dns-hook-timeout = -1", "dns-hook-timeout: expected a number of seconds from 1 to 3600, got '-1'"},
        {"dns-propagation-servers = 127.0.0.1:99999",
         "dns-propagation-servers: expected ADDRESS, ADDRESS:PORT or [IPv6]:PORT, got '127.0.0.1:99999'"},
        {"dns-propagation-servers = ns.example.org",
         "dns-propagation-servers: expected ADDRESS, ADDRESS:PORT or [IPv6]:PORT, got 'ns.example.org'"},
        {"subjectAltName = DNS:localhost", "subjectAltName: invalid DNS name 'localhost'"},
        {"subjectAltName = IP:300.1.1.1", "subjectAltName: invalid IP name '300.1.1.1'"},
        {"subjectAltName = email:me@example.org",
         "subjectAltName: unsupported entry 'email:me@example.org' (only DNS: and IP: names)"},
        {"min-days = ten", "min-days: not an integer: 'ten'"},
        {"min-days = 99999999999", "min-days: not an integer: '99999999999'"},
        {"chmod = 0689", "chmod: not an octal mode: '0689'"},
        {"chmod = 17777", "chmod: not an octal mode: '17777'"},
        {"chown = :wheel", "chown: expected USER[:GROUP], got ':wheel'"},
        {"chown = root:", "chown: expected USER[:GROUP], got 'root:'"},
        {"hash = whirlpool",
         "hash: unsupported digest 'whirlpool' (md5, rmd160, sha1, sha224, sha256, sha384 or sha512)"},
        {"subject = CN=www.example.org", "subject: subject must have the form /type0=value0/type1=value1/..."},
        {"subject = /XX=www.example.org", "subject: subject: unknown attribute type 'XX'"},
    };
    for (const auto& c : cases) {
        temp_dir dir;
        write_file(dir.file("c.conf"), "[good]\n" + minimal + "[bad]\n" + minimal + c.line + "\n");
        const auto sections = load(dir, {"c.conf"});
        BOOST_REQUIRE_EQUAL(sections.size(), 2u);
        BOOST_TEST(sections[1].name == "good");
        BOOST_TEST(sections[1].errors.empty());
        BOOST_TEST_REQUIRE(!sections[0].errors.empty(), c.line);
        BOOST_TEST(sections[0].errors[0] == dir.file("c.conf") + ":9: " + c.error);
    }
}

BOOST_AUTO_TEST_CASE(extension_values_are_checked_by_openssl)
{
    temp_dir dir;
    write_file(dir.file("c.conf"),
               "[www]\n" + minimal + "keyUsage = digitalSignature, sign\ntlsfeature = status_typo\n");
    const auto s = load(dir, {"c.conf"}).at(0);
    BOOST_REQUIRE_EQUAL(s.errors.size(), 2u);
    BOOST_TEST(
        s.errors[0].starts_with(dir.file("c.conf") + ":5: keyUsage: invalid value 'critical,digitalSignature, sign'"),
        s.errors[0]);
    BOOST_TEST(s.errors[1].starts_with(dir.file("c.conf") + ":6: tlsfeature: invalid value 'status_typo'"),
               s.errors[1]);
}

BOOST_AUTO_TEST_CASE(missing_required_keys)
{
    temp_dir dir;
    write_file(dir.file("c.conf"), "\n[www]\nsubject = /O=No CN\n");
    const auto s = load(dir, {"c.conf"}).at(0);
    const std::string where = dir.file("c.conf") + ":2: [www]: ";
    BOOST_TEST((s.errors == std::vector<std::string>{
                                where + "'certificate' or 'certificate-chain' is required",
                                where + "'certificate-key' is required",
                                where + "no domain name to request (subject CN or subjectAltName)",
                            }));
    write_file(dir.file("d.conf"), "[www]\ncertificate = /a\ncertificate-key = /k\n");
    BOOST_TEST(load(dir, {"d.conf"}).at(0).errors ==
               std::vector<std::string>{dir.file("d.conf") + ":1: [www]: 'subject' is required"});
}

BOOST_AUTO_TEST_CASE(identifiers_take_the_last_cn_only_when_it_is_a_domain)
{
    temp_dir dir;
    write_file(dir.file("c.conf"), "[a]\n" + minimal +
                                       "subjectAltName = DNS:www.example.org,DNS:b.example.org,DNS:b.example.org\n"
                                       "[b]\ncertificate = /c\ncertificate-key = /k\nsubject = "
                                       "/CN=x.example/O=Org\nsubjectAltName = IP:127.0.0.1\n");
    const auto sections = load(dir, {"c.conf"});
    BOOST_TEST((sections[0].identifiers() == std::vector<std::string>{"www.example.org", "b.example.org"}));
    BOOST_TEST(sections[1].identifiers() == std::vector<std::string>{"127.0.0.1"});
}

BOOST_AUTO_TEST_CASE(challenge_defaults_to_http01)
{
    temp_dir dir;
    write_file(dir.file("c.conf"), "[www]\n" + minimal);
    const auto s = load(dir, {"c.conf"}).at(0);
    BOOST_TEST((s.challenge == lacme::master::challenge_type::http_01));
    BOOST_TEST(!s.dns_hook);
    BOOST_TEST(s.dns_propagation_servers.empty());
    BOOST_TEST(s.dns_propagation_timeout.count() == 120);
}

BOOST_AUTO_TEST_CASE(dns01_reads_its_keys_and_allows_wildcards)
{
    temp_dir dir;
    write_file(dir.file("c.conf"), "challenge = dns-01\n"
                                   "[wild]\n"
                                   "certificate = /etc/ssl/wild.pem\n"
                                   "certificate-key = /etc/ssl/wild.key\n"
                                   "subject = /CN=*.example.org\n"
                                   "subjectAltName = DNS:example.org, DNS:*.example.org\n"
                                   "dns-hook = /usr/local/bin/dns-hook --zone example.org\n"
                                   "dns-propagation-servers = 192.0.2.1, 192.0.2.2:5353 [2001:db8::1]:53 2001:DB8::2\n"
                                   "dns-propagation-timeout = 30\n"
                                   "dns-hook-timeout = 3600\n"
                                   "[default-timeout]\n"
                                   "certificate = /etc/ssl/d.pem\n"
                                   "certificate-key = /etc/ssl/d.key\n"
                                   "subject = /CN=d.example.org\n"
                                   "dns-hook = /bin/true\n");
    const auto all = load(dir, {"c.conf"});
    BOOST_REQUIRE(all.size() == 2u);
    const auto named = [&all](const std::string& name) {
        return *std::find_if(all.begin(), all.end(), [&name](const auto& section) { return section.name == name; });
    };
    const auto s = named("wild");
    const auto d = named("default-timeout");
    BOOST_TEST(s.errors.empty(), (s.errors.empty() ? "" : s.errors.front()));
    BOOST_TEST((s.challenge == lacme::master::challenge_type::dns_01));
    BOOST_TEST(*s.dns_hook == "/usr/local/bin/dns-hook --zone example.org");
    const std::vector<lacme::master::dns_server> servers = {
        {"192.0.2.1", 53}, {"192.0.2.2", 5353}, {"2001:db8::1", 53}, {"2001:db8::2", 53}};
    BOOST_TEST((s.dns_propagation_servers == servers));
    BOOST_TEST(s.dns_propagation_timeout.count() == 30);
    BOOST_TEST(s.dns_hook_timeout.count() == 3600);
    BOOST_TEST(d.errors.empty(), (d.errors.empty() ? "" : d.errors.front()));
    BOOST_TEST(d.dns_hook_timeout.count() == 60);
    BOOST_TEST(s.identifiers() == (std::vector<std::string>{"*.example.org", "example.org"}));
}

BOOST_AUTO_TEST_CASE(dns01_by_rfc2136_reads_server_key_and_zone)
{
    temp_dir dir;
    write_file(dir.file("c.conf"), "[wild]\n" + minimal +
                                       "challenge = dns-01\n"
                                       "subjectAltName = DNS:*.example.org\n"
                                       "dns-update-server = [2001:DB8::53]:5353\n"
                                       "dns-tsig-key = /etc/lacme/tsig.key\n"
                                       "dns-zone = Example.ORG.\n"
                                       "[plain]\n" +
                                       minimal +
                                       "challenge = dns-01\n"
                                       "dns-update-server = 192.0.2.53\n"
                                       "dns-tsig-key = /etc/lacme/tsig.key\n");
    const auto sections = load(dir, {"c.conf"});
    const auto& plain = sections.at(0);
    const auto& wild = sections.at(1);
    BOOST_TEST(wild.errors.empty(), (wild.errors.empty() ? "" : wild.errors.front()));
    BOOST_TEST_REQUIRE(wild.dns_update.has_value());
    BOOST_TEST((wild.dns_update->server == lacme::master::dns_server{"2001:db8::53", 5353}));
    BOOST_TEST(wild.dns_update->tsig_key == "/etc/lacme/tsig.key");
    BOOST_TEST(wild.dns_update->zone.value_or("") == "example.org");
    BOOST_TEST(!wild.dns_hook);
    BOOST_TEST(plain.errors.empty(), (plain.errors.empty() ? "" : plain.errors.front()));
    BOOST_TEST_REQUIRE(plain.dns_update.has_value());
    BOOST_TEST((plain.dns_update->server == lacme::master::dns_server{"192.0.2.53", 53}));
    BOOST_TEST(!plain.dns_update->zone);
}

BOOST_AUTO_TEST_CASE(bad_rfc2136_values_fail_the_section)
{
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"dns-update-server = ns1.example.org", "dns-update-server: expected ADDRESS, ADDRESS:PORT or [IPv6]:PORT"},
        {"dns-tsig-key = tsig.key", "dns-tsig-key: expected an absolute path, got 'tsig.key'"},
        {"dns-zone = not a zone", "dns-zone: expected a domain name, got 'not a zone'"},
    };
    for (const auto& [line, error] : cases) {
        temp_dir dir;
        write_file(dir.file("c.conf"), "[bad]\n" + minimal +
                                           "challenge = dns-01\ndns-update-server = 192.0.2.53\n"
                                           "dns-tsig-key = /etc/k\n" +
                                           line + "\n");
        const auto s = load(dir, {"c.conf"}).at(0);
        BOOST_TEST_REQUIRE(!s.errors.empty(), line);
        BOOST_TEST(s.errors[0].find(error) != std::string::npos, s.errors[0]);
    }
}

BOOST_AUTO_TEST_CASE(what_each_challenge_cannot_validate_fails_the_section)
{
    struct bad_case {
        std::string lines;
        std::string error;
    };
    const std::vector<bad_case> cases = {
        {"subjectAltName = DNS:*.example.org\n", "wildcard name '*.example.org' needs challenge = dns-01"},
        {"challenge = http-01\nsubjectAltName = DNS:*.example.org\n",
         "wildcard name '*.example.org' needs challenge = dns-01"},
        {"challenge = dns-01\ndns-hook = /bin/true\nsubjectAltName = IP:192.0.2.7\n",
         "IP address '192.0.2.7' can't be validated by dns-01 (use http-01)"},
        {"challenge = dns-01\n", "challenge = dns-01 needs dns-hook or dns-update-server"},
        {"challenge = dns-01\ndns-hook = /bin/true\ndns-update-server = 192.0.2.53\ndns-tsig-key = /etc/k\n",
         "dns-hook and dns-update-server exclude each other: set one"},
        {"challenge = dns-01\ndns-update-server = 192.0.2.53\n",
         "dns-update-server needs dns-tsig-key (updates are signed with TSIG)"},
        {"challenge = dns-01\ndns-hook = /bin/true\ndns-tsig-key = /etc/k\n", "dns-tsig-key needs dns-update-server"},
        {"challenge = dns-01\ndns-hook = /bin/true\ndns-zone = example.org\n", "dns-zone needs dns-update-server"},
    };
    for (const auto& c : cases) {
        temp_dir dir;
        write_file(dir.file("c.conf"), "\n[bad]\n" + minimal + c.lines);
        const auto s = load(dir, {"c.conf"}).at(0);
        BOOST_TEST_REQUIRE(!s.errors.empty(), c.lines);
        BOOST_TEST(s.errors[0] == dir.file("c.conf") + ":2: [bad]: " + c.error);
    }
}

BOOST_AUTO_TEST_CASE(select_sections_by_name)
{
    temp_dir dir;
    write_file(dir.file("c.conf"), "[a]\n" + minimal + "[b]\n" + minimal + "[c]\n" + minimal);
    const auto all = load(dir, {"c.conf"});
    BOOST_TEST(select_sections(all, {}).size() == 3u);
    const std::vector<std::string> names{"c", "a", "c"};
    const auto chosen = select_sections(all, names);
    BOOST_REQUIRE_EQUAL(chosen.size(), 2u);
    BOOST_TEST(chosen[0]->name == "c");
    BOOST_TEST(chosen[1]->name == "a");
    const std::vector<std::string> unknown{"a", "nope"};
    BOOST_TEST(error_message([&] { select_sections(all, unknown); }) == "no such certificate section [nope]");
}

// Issue 23: an unknown SECTION is set aside (newOrder warns and processes the others, as lacme
// 0.8), not an error for the whole run.
BOOST_AUTO_TEST_CASE(unknown_sections_are_set_aside)
{
    temp_dir dir;
    write_file(dir.file("c.conf"), "[a]\n" + minimal + "[b]\n" + minimal);
    const auto all = load(dir, {"c.conf"});
    const std::vector<std::string> names{"nope", "b", "gone"};
    const auto selection = lacme::master::select_known_sections(all, names);
    BOOST_REQUIRE_EQUAL(selection.sections.size(), 1u);
    BOOST_TEST(selection.sections[0]->name == "b");
    BOOST_TEST((selection.unknown == std::vector<std::string>{"nope", "gone"}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(shipped_examples)

BOOST_AUTO_TEST_CASE(example_certificate_config_is_valid)
{
    std::string source_dir = LACME_TEST_DATA_DIR;
    source_dir.resize(source_dir.size() - std::string_view("/test/data").size());
    const std::vector<std::string> items{source_dir + "/examples/lacme-certs.conf"};
    const auto sections = load_certificate_sections(items, "/");
    BOOST_REQUIRE_EQUAL(sections.size(), 2u);
    for (const auto& s : sections)
        BOOST_TEST(s.errors.empty(), s.name << ": " << (s.errors.empty() ? "" : s.errors.front()));
    BOOST_TEST(sections[1].name == "www");
    BOOST_TEST((sections[1].identifiers() == std::vector<std::string>{"www.example.org", "example.org"}));
    BOOST_TEST(sections[0].min_days == 21);
}

BOOST_AUTO_TEST_SUITE_END()
