// A unified diff of two texts, byte-compatible with GNU `diff -u` hunks
// (what kubectl diff runs: `diff -u -N LIVE MERGED`), computed in-process with
// Myers' O((N+M)D) algorithm so no external diff program is needed.
#pragma once

#include <string>
#include <string_view>

namespace llm {

/// "" when the texts are equal. Otherwise "--- <from_label>\n+++ <to_label>\n"
/// and the hunks: `context` lines around each change, changes closer than
/// 2*context lines merged into one hunk, "@@ -l,s +l,s @@" ranges as GNU diff
/// writes them (",1" omitted; an empty range names the line before it), and
/// "\ No newline at end of file" after a last line without one. Labels carry
/// no timestamps so the output is deterministic. An empty text is an absent
/// file (-N).
std::string UnifiedDiff(std::string_view from, std::string_view to, std::string_view from_label,
                        std::string_view to_label, int context = 3);

}  // namespace llm
