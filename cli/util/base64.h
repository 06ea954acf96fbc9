// Base64 (RFC 4648, standard alphabet) as kubeconfig's *-data fields use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace llm {

/// Decodes standard base64, ignoring whitespace (line-wrapped PEM dumps).
/// Returns nullopt for any other character or a bad length.
std::optional<std::string> Base64Decode(std::string_view text);
std::string Base64Encode(std::string_view bytes);

}  // namespace llm
