// Turns the `privkey` setting into a signer: file:PATH, gpg:PATH (as lacme-accountd 0.8) and
// pkcs11:URI (ours).
#pragma once

#include "accountd/settings.hpp"
#include "accountd/signer.hpp"
#include "common/log.hpp"

#include <memory>

namespace lacme::accountd {

std::unique_ptr<signer> open_signer(const settings& s, logger& log);

}  // namespace lacme::accountd
