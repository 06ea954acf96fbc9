#include "output/object_printer.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "kube/object_fields.h"
#include "output/go_value_text.h"

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

// The text of a non-table -o over the document; json and yaml printed from J
// itself, so an ordered_json keeps its key order.
template <typename J>
Result<std::string> FormatAny(const J& document, const OutputSpec& output, bool no_headers) {
  switch (output.format) {
    case OutputFormat::kJson:
      return ToJson(document);
    case OutputFormat::kYaml:
      return ToYaml(document);
    case OutputFormat::kName: {
      const nlohmann::json plain(document);
      std::string text;
      if (plain.contains("items") && plain["items"].is_array()) {
        for (const nlohmann::json& object : plain["items"]) text += ResourceName(object) + "\n";
      } else {
        text = ResourceName(plain) + "\n";
      }
      return text;
    }
    case OutputFormat::kJsonPath: {
      auto text = output.jsonpath->Execute(nlohmann::json(document));
      if (!text.ok()) {  // kubectl's wording, less its dump of the whole object
        return Error(ErrorKind::kInvalidInput, fmt::format("error executing jsonpath {}: Error executing template: {}.",
                                                           GoQuote(output.jsonpath->text()), text.error().message()));
      }
      return text;
    }
    case OutputFormat::kCustomColumns: {
      auto text = output.columns->Render(nlohmann::json(document), no_headers);
      if (!text.ok()) return Error(ErrorKind::kInvalidInput, text.error().message());
      return text;
    }
    case OutputFormat::kTable:
    case OutputFormat::kWide:
      break;
  }
  return Error(ErrorKind::kInternal, "a table format was passed to the object printer");
}

}  // namespace

Result<std::string> FormatDocument(const nlohmann::json& document, const OutputSpec& output, bool no_headers) {
  return FormatAny(document, output, no_headers);
}

Result<std::string> FormatDocument(const nlohmann::ordered_json& document, const OutputSpec& output, bool no_headers) {
  return FormatAny(document, output, no_headers);
}

Result<std::string> FormatObjectList(const std::vector<nlohmann::json>& objects, const OutputSpec& output) {
  nlohmann::json list = {
      {"apiVersion", "v1"}, {"items", objects}, {"kind", "List"}, {"metadata", {{"resourceVersion", ""}}}};
  return FormatDocument(list, output);
}

Result<std::string> FormatObject(const nlohmann::json& object, const OutputSpec& output) {
  return FormatDocument(object, output);
}

}  // namespace llm
