#include "master/revoke_command.hpp"

#include "common/error.hpp"
#include "common/openssl_error.hpp"
#include "common/openssl_ptr.hpp"
#include "master/account_command.hpp"
#include "master/client_run.hpp"

#include <openssl/pem.h>
#include <openssl/x509.h>

namespace lacme::master {

std::string certificate_der_from_pem_file(const std::string& path)
{
    const bio_ptr bio(BIO_new_file(path.c_str(), "r"));
    if (!bio)
        throw_openssl("can't open " + path);
    const x509_ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert)
        throw_openssl("no PEM certificate in " + path);
    unsigned char* der = nullptr;
    const int length = i2d_X509(cert.get(), &der);
    if (length <= 0)
        throw_openssl("can't encode " + path);
    std::string bytes(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
    OPENSSL_free(der);
    return bytes;
}

int run_revoke_command(master_loop& master)
{
    int status = 0;
    for (const auto& file : master.options().arguments) {
        master.log().verbose("Revoking " + file);
        client_invocation invocation;
        invocation.command = "revokeCert";
        invocation.config = master.config().client_config;
        try {
            invocation.input = certificate_der_from_pem_file(file);
        } catch (const error& e) {
            master.log().info(std::string("Error: ") + e.what());
            status = 1;
            continue;
        }
        if (const auto failure = run_one_client(master, std::move(invocation))) {
            master.log().info("Warning: Couldn't revoke " + file);
            status = 1;
        }
        if (master.interrupted())
            return 1;
    }
    return status;
}

}  // namespace lacme::master
