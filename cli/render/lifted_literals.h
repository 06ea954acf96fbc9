// A template's plain text lifted out of what kainjow parses. kainjow's parser
// makes each space, tab and newline of a template a component of its own (a
// heap object holding several strings), and each other run of text one more:
// a served model's pod template, mostly YAML indentation, is thousands of them,
// and parsing and walking them was a third of what `render serve` spends beyond
// starting the process. Lifted, the same template parses about six times faster.
//
// LiftLiterals replaces each run of plain text by an unescaped variable
// ({{{~N}}}) whose value is that text, the indentation before a section,
// inverted, closing, comment or partial tag too: kainjow leaves a line out
// (mustache's standalone-line rule) when it holds such a tag and all it rendered
// of that line is spaces and tabs, and a lifted literal renders into the line
// exactly as its text did. Consecutive lines of plain text become one variable.
// What kainjow makes of the lifted template is the same, byte for byte, as what
// it makes of the template itself.
//
// A template this cannot read as kainjow does is left as written: one that
// changes its delimiters ({{=<% %>=}}), holds a carriage return, a tag across
// lines, an unclosed tag (whose error kainjow then reports at its place), or a
// tag naming something with a "~" (which could find a lifted literal).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <kainjow/mustache.hpp>

namespace llm {

struct LiftedTemplate {
  std::string text;                               ///< what kainjow parses
  std::vector<kainjow::mustache::data> literals;  ///< "~N" -> literals[N], the text it stands for
};

LiftedTemplate LiftLiterals(std::string_view text);

/// What a lifted template renders with: "~N" finds literal N at once, every
/// other name is looked up in `view` as kainjow's own context does. (Found
/// that way, a literal was looked up in every enclosing section's data first:
/// 3% of `render serve`'s instructions.)
class LiftedContext : public kainjow::mustache::context<std::string> {
 public:
  LiftedContext(const LiftedTemplate& lifted, const kainjow::mustache::data& view)
      : context(&view), literals_(lifted.literals) {}

  const kainjow::mustache::data* get(const std::string& name) const override;

 private:
  const std::vector<kainjow::mustache::data>& literals_;
};

}  // namespace llm
