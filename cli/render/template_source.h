// Where templates come from: the copies embedded in the binary at build time,
// or a user's directory (--templates DIR) with the same layout.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "util/result.h"

namespace llm {

/// One file of templates/, embedded by cmake/EmbedTemplates.cmake.
struct EmbeddedFile {
  std::string_view path;  ///< relative to templates/, e.g. "serve/deployment.yaml.mustache"
  std::string_view content;
};

/// Defined in the generated embedded_templates.cpp.
std::span<const EmbeddedFile> EmbeddedTemplates();

class TemplateSource {
 public:
  virtual ~TemplateSource() = default;
  /// The text of `path` (relative, "serve/deployment.yaml.mustache").
  virtual Result<std::string> Read(std::string_view path) const = 0;
  /// Where templates come from, for error messages.
  virtual std::string Describe() const = 0;
};

/// Templates compiled into the binary.
std::unique_ptr<TemplateSource> EmbeddedTemplateSource();
/// Templates read from `dir` (a copy of templates/, changed by the user).
std::unique_ptr<TemplateSource> DirectoryTemplateSource(std::string dir);
/// Templates held in memory (tests).
std::unique_ptr<TemplateSource> MapTemplateSource(std::map<std::string, std::string, std::less<>> files);

/// Reads `name` + ".mustache" and expands its partials: a line holding only
/// `{{> path}}` is replaced by the file `path.mustache`, each line indented like
/// the tag (the mustache spec's standalone-partial rule), recursively. Done as
/// text before mustache parses the result, so YAML indentation stays right.
Result<std::string> LoadTemplate(const TemplateSource& source, std::string_view name);

}  // namespace llm
