#include "render/lifted_literals.h"

#include <charconv>
#include <unordered_map>
#include <vector>

namespace llm {
namespace {

/// What the lifted literals' names start with: "~0", "~1", ...
constexpr char kLiteralPrefix = '~';

/// A tag as kainjow finds it: from "{{" to the next "}}" ("}}}" after "{{{").
struct Tag {
  size_t begin = 0;
  size_t end = 0;  ///< one past its last brace
};

/// The tags of `text`, or false where it holds something LiftLiterals leaves alone.
bool FindTags(std::string_view text, std::vector<Tag>& tags) {
  if (text.find('\r') != std::string_view::npos) return false;
  for (size_t pos = text.find("{{"); pos != std::string_view::npos; pos = text.find("{{", pos)) {
    const bool triple = text.substr(pos, 3) == "{{{";
    const size_t open = pos + (triple ? 3 : 2);
    const size_t close = text.find(triple ? "}}}" : "}}", open);
    if (close == std::string_view::npos) return false;
    const std::string_view contents = text.substr(open, close - open);
    if (contents.find('\n') != std::string_view::npos) return false;
    // A name of the template's own could find a lifted literal ("~N").
    if (contents.find(kLiteralPrefix) != std::string_view::npos) return false;
    const size_t first = contents.find_first_not_of(" \t");
    const char type = triple || first == std::string_view::npos ? '\0' : contents[first];
    if (type == '=') return false;
    tags.push_back({pos, close + (triple ? 3 : 2)});
    pos = tags.back().end;
  }
  return true;
}

class Lifter {
 public:
  explicit Lifter(std::string_view text) : text_(text) { lifted_.text.reserve(text.size() / 2); }

  /// text_[begin, end) as one variable (nothing when empty); the same text,
  /// mostly indentation, is the same variable wherever it appears.
  void Literal(size_t begin, size_t end) {
    if (end <= begin) return;
    const std::string_view literal = text_.substr(begin, end - begin);
    auto [named, is_new] = names_.try_emplace(literal);
    if (is_new) {
      named->second = kLiteralPrefix + std::to_string(lifted_.literals.size());
      lifted_.literals.emplace_back(std::string(literal));
    }
    lifted_.text += "{{{";
    lifted_.text += named->second;
    lifted_.text += "}}}";
  }
  void Verbatim(size_t begin, size_t end) { lifted_.text.append(text_.substr(begin, end - begin)); }

  LiftedTemplate Take() { return std::move(lifted_); }

 private:
  std::string_view text_;
  LiftedTemplate lifted_;
  std::unordered_map<std::string_view, std::string> names_;  ///< literal text -> its variable's name
};

}  // namespace

LiftedTemplate LiftLiterals(std::string_view text) {
  std::vector<Tag> tags;
  if (!FindTags(text, tags)) return {std::string(text), {}};
  Lifter lifter(text);
  size_t next_tag = 0;
  // Lines without tags, from block_begin to the end of the last one (its newline
  // excluded), wait to become one variable: their inner newlines go with it.
  constexpr size_t kNoBlock = std::string_view::npos;
  size_t block_begin = kNoBlock;
  size_t block_end = 0;
  bool block_newline = false;
  auto flush_block = [&] {
    if (block_begin == kNoBlock) return;
    lifter.Literal(block_begin, block_end);
    if (block_newline) lifter.Verbatim(block_end, block_end + 1);
    block_begin = kNoBlock;
  };
  for (size_t line = 0; line < text.size();) {
    size_t eol = text.find('\n', line);
    const bool has_newline = eol != std::string_view::npos;
    if (!has_newline) eol = text.size();
    size_t past_tags = next_tag;
    while (past_tags < tags.size() && tags[past_tags].begin < eol) ++past_tags;
    if (past_tags == next_tag) {
      if (block_begin == kNoBlock) block_begin = line;
      block_end = eol;
      block_newline = has_newline;
    } else {
      flush_block();
      size_t pos = line;
      for (size_t t = next_tag; t < past_tags; ++t) {
        lifter.Literal(pos, tags[t].begin);
        lifter.Verbatim(tags[t].begin, tags[t].end);
        pos = tags[t].end;
      }
      lifter.Literal(pos, eol);
      if (has_newline) lifter.Verbatim(eol, eol + 1);
      next_tag = past_tags;
    }
    line = eol + 1;
  }
  flush_block();
  return lifter.Take();
}

const kainjow::mustache::data* LiftedContext::get(const std::string& name) const {
  if (name.size() > 1 && name[0] == kLiteralPrefix) {
    size_t index = 0;
    const char* end = name.data() + name.size();
    const auto [parsed, error] = std::from_chars(name.data() + 1, end, index);
    if (error == std::errc() && parsed == end && index < literals_.size()) return &literals_[index];
  }
  return context::get(name);
}

}  // namespace llm
