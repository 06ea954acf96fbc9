// YAML scalars: the escape every template value goes through, the test that
// decides when the printer may write a string without quotes, and what an
// unquoted scalar reads as.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/result.h"

namespace llm {

/// A YAML double-quoted scalar holding exactly `value`. Control characters,
/// quotes, backslashes and Unicode line breaks are escaped, so whatever the
/// value, it stays one scalar: it cannot add a key, an item or a document.
/// `value` must be valid UTF-8 (see CheckUtf8).
std::string YamlDoubleQuote(std::string_view value);

/// True when `value` can be written as a plain scalar and still read back as
/// this same string (not a number, bool, null, anchor, tag, comment ...).
bool IsSafePlainScalar(std::string_view value);

/// True for the plain scalars YAML 1.2's core schema reads as null ("", "~",
/// "null", "Null", "NULL"); yaml-cpp reads the same ones as null.
bool IsNullPlainScalar(std::string_view text);

/// A plain scalar's value under YAML 1.2's core schema: null, bool, int,
/// float, else the string itself (what a YAML reader gives an unquoted value).
nlohmann::ordered_json ResolvePlainScalar(const std::string& text);

/// Refuses strings that are not valid UTF-8: YAML and JSON can carry only Unicode
/// text, and a byte-level escape would change the value. `what` names the source.
Status CheckUtf8(std::string_view value, std::string_view what);

}  // namespace llm
