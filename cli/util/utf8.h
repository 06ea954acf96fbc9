// UTF-8 one sequence at a time, for the printers that escape text by code
// point (YAML double-quoted scalars, Go's JSON and %q) and the JSONPath parser.
#pragma once

#include <string>
#include <string_view>

namespace llm {

/// Decodes one UTF-8 sequence at `i`; returns its length, 0 when invalid
/// (overlong, a surrogate, above U+10FFFF, cut short).
size_t Utf8SequenceLength(std::string_view s, size_t i, char32_t* code_point);

/// Appends `code_point` encoded as UTF-8.
void AppendUtf8(std::string& out, char32_t code_point);

}  // namespace llm
