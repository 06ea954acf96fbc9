// The command line as a revision records it: what the user typed, with the
// values of secret-looking keys replaced, so an audit trail never becomes a
// place to read a token from.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace llm {

/// Whether a flag or key name looks like it holds a secret (token, password,
/// secret, credential, API key, private key), in any case and spelling.
bool IsSecretLookingKey(std::string_view key);

/// `args` (without the program name) with secret-looking values replaced by
/// "<redacted>": `--token X`, `--token=X`, `--set hf.token=X` (any KEY=VALUE
/// argument, --set's, --env's and a trailing command's), then quoted as a
/// POSIX shell would need and prefixed with "kubectl llm".
std::string RedactedCommandLine(const std::vector<std::string>& args);

}  // namespace llm
