// Kubernetes name and label syntax (apimachinery's validation package), as
// checks that return a message naming what is accepted.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace llm {

/// Lower-case RFC 1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters.
bool IsDns1123Label(std::string_view s);
/// Lower-case RFC 1123 subdomain: dot-separated labels, at most 253 characters.
bool IsDns1123Subdomain(std::string_view s);
/// RFC 1035 label (Service names): like a DNS-1123 label but starting with a letter.
bool IsDns1035Label(std::string_view s);

/// The reason `s` is not a valid label key ("[prefix/]name"), or Ok.
Status CheckLabelKey(std::string_view s, std::string_view what);
/// The reason `s` is not a valid label value (empty or a 63-character name), or Ok.
Status CheckLabelValue(std::string_view s, std::string_view what);
/// -n/--namespace: empty (the context's namespace) or a DNS-1123 label; a
/// usage error naming the flag otherwise.
Status CheckNamespaceFlag(std::string_view ns);
/// Environment variable names the API server accepts everywhere: [-._a-zA-Z][-._a-zA-Z0-9]*.
Status CheckEnvVarName(std::string_view s, std::string_view what);

}  // namespace llm
