#include "util/yaml_document.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "util/yaml_load.h"
#include "util/yaml_scalar.h"

namespace llm {
namespace {

// Aliases share nodes in yaml-cpp; expanding them into JSON could explode
// ("billion laughs"), so the conversion stops after this many nodes.
constexpr size_t kMaxNodes = 1'000'000;

constexpr std::string_view kCoreTagPrefix = "tag:yaml.org,2002:";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

/// [-+]?[0-9]+ (YAML 1.2 core schema int, decimal form).
bool IsCoreInt(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

/// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? (core schema float).
bool IsCoreFloat(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

struct Converter {
  std::string_view source;
  size_t nodes = 0;

  Error Fail(const YAML::Node& node, std::string_view what) const {
    const YAML::Mark mark = node.Mark();
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("{}: line {}, column {}: {}", source, mark.line + 1, mark.column + 1, what));
  }

  Result<Json> Scalar(const YAML::Node& node) const {
    const std::string& text = node.Scalar();
    const std::string& tag = node.Tag();
    if (!CheckUtf8(text, source).ok()) return Fail(node, "not valid UTF-8");
    if (tag == "!" || tag == std::string(kCoreTagPrefix) + "str") return Json(text);
    if (tag != "?" && !tag.starts_with(kCoreTagPrefix)) {
      return Fail(node, fmt::format("the tag '{}' is not supported", tag));
    }
    if (text == "true" || text == "True" || text == "TRUE") return Json(true);
    if (text == "false" || text == "False" || text == "FALSE") return Json(false);
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return Json(nullptr);
    if (IsCoreInt(text)) {
      errno = 0;
      char* end = nullptr;
      const long long v = std::strtoll(text.c_str(), &end, 10);
      if (errno == 0 && end == text.c_str() + text.size()) return Json(v);
    }
    if (IsCoreFloat(text)) {
      return Json(std::strtod(text.c_str(), nullptr));
    }
    if (tag != "?") return Fail(node, fmt::format("the tag '{}' does not fit the value", tag));
    return Json(text);
  }

  Result<Json> Convert(const YAML::Node& node) {
    if (++nodes > kMaxNodes) return Fail(node, "too many nodes (aliases expanding?)");
    switch (node.Type()) {
      case YAML::NodeType::Null:
        return Json(nullptr);
      case YAML::NodeType::Scalar:
        return Scalar(node);
      case YAML::NodeType::Sequence: {
        Json out = Json::array();
        for (const YAML::Node& item : node) {
          LLM_ASSIGN_OR_RETURN(Json value, Convert(item));
          out.push_back(std::move(value));
        }
        return out;
      }
      case YAML::NodeType::Map: {
        Json out = Json::object();
        for (const auto& kv : node) {
          if (!kv.first.IsScalar()) return Fail(kv.first, "mapping keys must be strings");
          const std::string& key = kv.first.Scalar();
          if (!CheckUtf8(key, source).ok()) return Fail(kv.first, "not valid UTF-8");
          if (out.contains(key)) return Fail(kv.first, fmt::format("duplicate key '{}'", key));
          LLM_ASSIGN_OR_RETURN(Json value, Convert(kv.second));
          out[key] = std::move(value);
        }
        return out;
      }
      case YAML::NodeType::Undefined:
        break;
    }
    return Fail(node, "undefined node");
  }
};

void Pad(std::string& out, int indent) { out.append(static_cast<size_t>(indent), ' '); }

void EmitString(std::string_view s, std::string& out) {
  if (IsSafePlainScalar(s)) {
    out.append(s);
  } else {
    out += YamlDoubleQuote(s);
  }
}

bool IsInline(const Json& v) { return !v.is_structured() || v.empty(); }

void EmitInline(const Json& v, std::string& out) {
  if (v.is_string()) {
    EmitString(v.get_ref<const std::string&>(), out);
  } else if (v.is_object()) {
    out += "{}";
  } else if (v.is_array()) {
    out += "[]";
  } else {
    out += v.dump();  // numbers, booleans and null print the same in YAML
  }
}

void EmitNode(const Json& v, int indent, bool first_inline, std::string& out);

void EmitMap(const Json& obj, int indent, bool first_inline, std::string& out) {
  bool first = true;
  for (const auto& [key, value] : obj.items()) {
    if (!(first && first_inline)) Pad(out, indent);
    first = false;
    EmitString(key, out);
    out += ':';
    if (IsInline(value)) {
      out += ' ';
      EmitInline(value, out);
      out += '\n';
    } else if (value.is_object()) {
      out += '\n';
      EmitMap(value, indent + 2, false, out);
    } else {
      out += '\n';
      EmitNode(value, indent, false, out);
    }
  }
}

void EmitSeq(const Json& arr, int indent, bool first_inline, std::string& out) {
  bool first = true;
  for (const Json& item : arr) {
    if (!(first && first_inline)) Pad(out, indent);
    first = false;
    out += "- ";
    if (IsInline(item)) {
      EmitInline(item, out);
      out += '\n';
    } else {
      EmitNode(item, indent + 2, true, out);
    }
  }
}

void EmitNode(const Json& v, int indent, bool first_inline, std::string& out) {
  if (v.is_object()) {
    EmitMap(v, indent, first_inline, out);
  } else if (v.is_array()) {
    EmitSeq(v, indent, first_inline, out);
  } else {
    EmitInline(v, out);
    out += '\n';
  }
}

}  // namespace

Result<std::vector<Json>> ParseYamlDocuments(std::string_view text, std::string_view source) {
  std::vector<YAML::Node> docs;
  try {
    docs = LoadAllYaml(std::string(text));
  } catch (const YAML::Exception& e) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("{}: line {}, column {}: {}", source, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  std::vector<Json> out;
  Converter converter{source};
  for (const YAML::Node& doc : docs) {
    if (doc.IsNull()) continue;
    LLM_ASSIGN_OR_RETURN(Json value, converter.Convert(doc));
    out.push_back(std::move(value));
  }
  return out;
}

std::string EmitYaml(const Json& value) {
  std::string out;
  EmitNode(value, 0, false, out);
  return out;
}

std::vector<nlohmann::json> ToApiObjects(const std::vector<Json>& objects) {
  std::vector<nlohmann::json> out;
  out.reserve(objects.size());
  for (const Json& object : objects) out.push_back(nlohmann::json(object));
  return out;
}

}  // namespace llm
