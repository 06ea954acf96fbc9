#include "render/template_source.h"

#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>

namespace llm {
namespace {

constexpr int kMaxPartialDepth = 8;

bool IsSafeRelativePath(std::string_view path) {
  return !path.empty() && !path.starts_with('/') && path.find("..") == std::string_view::npos;
}

class EmbeddedSource final : public TemplateSource {
 public:
  Result<std::string> Read(std::string_view path) const override {
    for (const EmbeddedFile& file : EmbeddedTemplates()) {
      if (file.path == path) return std::string(file.content);
    }
    return Error(ErrorKind::kNotFound, fmt::format("template '{}' is not embedded", path));
  }
  std::string Describe() const override { return "the built-in templates"; }
};

class DirectorySource final : public TemplateSource {
 public:
  explicit DirectorySource(std::string dir) : dir_(std::move(dir)) {}
  Result<std::string> Read(std::string_view path) const override {
    if (!IsSafeRelativePath(path)) return Error(ErrorKind::kInvalidInput, fmt::format("bad template path '{}'", path));
    const std::string full = fmt::format("{}/{}", dir_, path);
    std::ifstream in(full, std::ios::binary);
    if (!in) return Error(ErrorKind::kNotFound, fmt::format("--templates: cannot read {}", full));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::string Describe() const override { return fmt::format("--templates {}", dir_); }

 private:
  std::string dir_;
};

class MapSource final : public TemplateSource {
 public:
  explicit MapSource(std::map<std::string, std::string, std::less<>> files) : files_(std::move(files)) {}
  Result<std::string> Read(std::string_view path) const override {
    auto it = files_.find(path);
    if (it == files_.end()) return Error(ErrorKind::kNotFound, fmt::format("template '{}' not found", path));
    return it->second;
  }
  std::string Describe() const override { return "in-memory templates"; }

 private:
  std::map<std::string, std::string, std::less<>> files_;
};

/// Returns the partial's name when `line` is only whitespace and `{{> name}}`.
std::optional<std::string_view> StandalonePartial(std::string_view line, size_t* indent) {
  const size_t start = line.find_first_not_of(' ');
  if (start == std::string_view::npos || line.substr(start, 3) != "{{>") return std::nullopt;
  const size_t close = line.find("}}", start);
  if (close == std::string_view::npos || line.find_first_not_of(" \r", close + 2) != std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view name = line.substr(start + 3, close - start - 3);
  while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  *indent = start;
  return name;
}

Result<std::string> Expand(const TemplateSource& source, std::string_view name, int depth) {
  if (depth > kMaxPartialDepth) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("{}: partials nested deeper than {} at '{}'", source.Describe(), kMaxPartialDepth, name));
  }
  const std::string path = std::string(name) + ".mustache";
  if (!IsSafeRelativePath(path)) {
    return Error(ErrorKind::kInvalidInput, fmt::format("{}: bad template name '{}'", source.Describe(), name));
  }
  LLM_ASSIGN_OR_RETURN(std::string text, source.Read(path));
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    const bool has_newline = end != std::string::npos;
    if (!has_newline) end = text.size();
    const std::string_view line(text.data() + pos, end - pos);
    size_t indent = 0;
    if (std::optional<std::string_view> partial = StandalonePartial(line, &indent)) {
      LLM_ASSIGN_OR_RETURN(std::string body, Expand(source, *partial, depth + 1));
      size_t p = 0;
      while (p < body.size()) {
        size_t e = body.find('\n', p);
        if (e == std::string::npos) e = body.size();
        if (e > p) out.append(indent, ' ');
        out.append(body, p, e - p);
        out += '\n';
        p = e + 1;
      }
    } else {
      out.append(line);
      if (has_newline) out += '\n';
    }
    pos = end + 1;
  }
  return out;
}

}  // namespace

std::unique_ptr<TemplateSource> EmbeddedTemplateSource() { return std::make_unique<EmbeddedSource>(); }
std::unique_ptr<TemplateSource> DirectoryTemplateSource(std::string dir) {
  return std::make_unique<DirectorySource>(std::move(dir));
}
std::unique_ptr<TemplateSource> MapTemplateSource(std::map<std::string, std::string, std::less<>> files) {
  return std::make_unique<MapSource>(std::move(files));
}

Result<std::string> LoadTemplate(const TemplateSource& source, std::string_view name) {
  return Expand(source, name, 0);
}

}  // namespace llm
