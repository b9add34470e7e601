// Running helper programs (gpg, notify commands...): fork + exec with only stdin, stdout and
// stderr inherited, and waiting for them.
#pragma once

#include <string>
#include <vector>

namespace lacme {

// Runs argv[0] (PATH lookup) and returns what it wrote on stdout; stdin and stderr are
// inherited (gpg may prompt). Throws lacme::error if it cannot run, is killed, or exits non-zero
// ("NAME exited with value N"). Output longer than max_output is an error.
std::string run_capturing_stdout(const std::vector<std::string>& argv, std::size_t max_output);

}  // namespace lacme
