#include "output/object_printer.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "kube/object_fields.h"

namespace llm {
namespace {

// Plain scalars that a YAML 1.1 or 1.2 reader (go-yaml, PyYAML, yaml-cpp)
// resolves to something other than a string.
bool ReadsAsNonString(const std::string& s) {
  if (s.empty()) return true;
  static const std::regex kSpecial(
      "null|Null|NULL|~|"
      "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|"
      "[-+]?[0-9][0-9_]*|"                                 // int (and YAML 1.1 underscores)
      "0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|"               // hex, octal, binary
      "[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?|"  // float with a dot
      "[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|"                  // float with an exponent
      "[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|"
      "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?|"  // YAML 1.1 sexagesimal
      "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?|"       // timestamps
      "<<|=");
  return std::regex_match(s, kSpecial);
}

template <typename J>
void Emit(YAML::Emitter& out, const J& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object:
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        return;
      }
      out << YAML::BeginMap;
      for (auto it = value.begin(); it != value.end(); ++it) {
        out << YAML::Key;
        if (ReadsAsNonString(it.key())) out << YAML::DoubleQuoted;
        out << it.key() << YAML::Value;
        Emit(out, it.value());
      }
      out << YAML::EndMap;
      return;
    case nlohmann::json::value_t::array:
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        return;
      }
      out << YAML::BeginSeq;
      for (const auto& item : value) Emit(out, item);
      out << YAML::EndSeq;
      return;
    case nlohmann::json::value_t::string: {
      const std::string& s = value.template get_ref<const std::string&>();
      if (ReadsAsNonString(s) || s.find('\n') != std::string::npos) out << YAML::DoubleQuoted;
      out << s;
      return;
    }
    case nlohmann::json::value_t::null:
      out << YAML::Null;
      return;
    default:  // numbers and booleans: JSON's spelling is valid plain YAML
      out << value.dump();
      return;
  }
}

template <typename J>
std::string YamlOf(const J& value) {
  YAML::Emitter out;
  out.SetNullFormat(YAML::LowerNull);
  Emit(out, value);
  std::string text = out.c_str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

}  // namespace

std::string ToYaml(const nlohmann::json& value) { return YamlOf(value); }
std::string ToYaml(const nlohmann::ordered_json& value) { return YamlOf(value); }

std::string ToJson(const nlohmann::json& value) { return value.dump(4) + "\n"; }
std::string ToJson(const nlohmann::ordered_json& value) { return value.dump(4) + "\n"; }

std::string ResourceName(const nlohmann::json& object) {
  std::string kind = StringAt(object, {"kind"});
  std::transform(kind.begin(), kind.end(), kind.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string api_version = StringAt(object, {"apiVersion"});
  size_t slash = api_version.find('/');
  std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
  std::string name = StringAt(object, {"metadata", "name"});
  return group.empty() ? fmt::format("{}/{}", kind, name) : fmt::format("{}.{}/{}", kind, group, name);
}

namespace {

Status RefuseTable(OutputFormat format) {
  if (format == OutputFormat::kTable || format == OutputFormat::kWide) {
    return Error(ErrorKind::kInternal, "a table format was passed to the object printer");
  }
  return Ok();
}

}  // namespace

Result<std::string> FormatObjectList(const std::vector<nlohmann::json>& objects, OutputFormat format) {
  LLM_RETURN_IF_ERROR(RefuseTable(format));
  if (format == OutputFormat::kName) {
    std::string text;
    for (const nlohmann::json& object : objects) text += ResourceName(object) + "\n";
    return text;
  }
  nlohmann::json list = {
      {"apiVersion", "v1"}, {"items", objects}, {"kind", "List"}, {"metadata", {{"resourceVersion", ""}}}};
  return format == OutputFormat::kJson ? ToJson(list) : ToYaml(list);
}

Result<std::string> FormatObject(const nlohmann::json& object, OutputFormat format) {
  LLM_RETURN_IF_ERROR(RefuseTable(format));
  if (format == OutputFormat::kName) return ResourceName(object) + "\n";
  return format == OutputFormat::kJson ? ToJson(object) : ToYaml(object);
}

}  // namespace llm
