// Rendering with arbitrary values. The input is three parts separated by NUL
// bytes: a hostile string, `--set` lines, a values file; its first byte picks
// the workload. Properties of every successful render:
// - what `render` prints (YAML, and JSON) parses back to the same manifests;
// - the hostile string, given as an environment variable's value (--env),
//   arrives as exactly that value, and the manifests have the same structure
//   (every key path, every list length) as with a plain value instead:
//   no value can change a manifest's shape.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "render/manifest_printer.h"
#include "render/render_pipeline.h"
#include "util/yaml_document.h"

namespace llm {
namespace {

constexpr const char* kHostileEnv = "FUZZ_HOSTILE";

struct Case {
  const char* workload;
  const char* required;  ///< a --set that makes a minimal valid request
};
constexpr Case kCases[] = {{"serve", "model=Qwen/Qwen2.5-7B-Instruct"},
                           {"train", "image=registry.example/train:1"},
                           {"gpu-check", "node=gpu-node-0"}};

/// Every key path and list length, without the scalar values.
void Skeleton(const Json& value, const std::string& path, std::vector<std::string>& out) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) Skeleton(child, path + "/" + key, out);
  } else if (value.is_array()) {
    out.push_back(path + "[" + std::to_string(value.size()) + "]");
    for (size_t i = 0; i < value.size(); ++i) Skeleton(value[i], path + "/" + std::to_string(i), out);
  } else {
    out.push_back(path);
  }
}

/// The values of every {name: kHostileEnv, value: ...} entry in the manifests.
void HostileValues(const Json& value, std::vector<Json>& out) {
  if (value.is_object()) {
    if (value.contains("name") && value["name"] == kHostileEnv && value.contains("value"))
      out.push_back(value["value"]);
    for (const auto& [key, child] : value.items()) HostileValues(child, out);
  } else if (value.is_array()) {
    for (const auto& child : value) HostileValues(child, out);
  }
}

Result<std::vector<Json>> Render(const Case& c, const std::string& env_value, const std::vector<std::string>& sets,
                                 const std::string& values_file, const TemplateSource& templates) {
  RenderRequest request;
  request.workload = c.workload;
  request.name = "fuzz";
  request.set_values.push_back(c.required);
  request.set_values.insert(request.set_values.end(), sets.begin(), sets.end());
  if (!values_file.empty()) request.value_files.push_back("values.yaml");
  if (std::string(c.workload) != "gpu-check") request.flags["env"] = {std::string(kHostileEnv) + "=" + env_value};
  ReadFileFn read = [&](const std::string&) -> Result<std::string> { return values_file; };
  return RenderManifests(request, templates, read);
}

}  // namespace
}  // namespace llm

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace llm;
  if (size == 0) return 0;
  static const std::unique_ptr<TemplateSource> templates = EmbeddedTemplateSource();
  const Case& c = kCases[data[0] % std::size(kCases)];
  std::string_view rest = fuzz::Text(data + 1, size - 1);
  const std::string hostile(fuzz::TakeUntil(rest, '\0'));
  std::string_view set_text = fuzz::TakeUntil(rest, '\0');
  const std::string values_file(rest);
  std::vector<std::string> sets;
  while (!set_text.empty()) sets.emplace_back(fuzz::TakeUntil(set_text, '\n'));

  auto rendered = Render(c, hostile, sets, values_file, *templates);
  if (!rendered.ok()) return 0;

  std::string yaml = FormatManifests(*rendered, OutputFormat::kYaml);
  auto reparsed = ParseYamlDocuments(yaml, "rendered");
  FUZZ_CHECK(reparsed.ok(), "printed YAML does not parse");
  FUZZ_CHECK(*reparsed == *rendered, "printed YAML parses to different manifests");
  Json list = Json::parse(FormatManifests(*rendered, OutputFormat::kJson), nullptr, false);
  FUZZ_CHECK(list.is_object() && list.contains("items") && list["items"] == Json(*rendered),
             "printed JSON parses to different manifests");

  if (std::string(c.workload) == "gpu-check") return 0;
  std::vector<Json> seen;
  for (const Json& doc : *rendered) HostileValues(doc, seen);
  FUZZ_CHECK(!seen.empty(), "the --env value is missing from the manifests");
  for (const Json& v : seen) FUZZ_CHECK(v.is_string() && v.get<std::string>() == hostile, "the --env value changed");
  auto plain = Render(c, "x", sets, values_file, *templates);
  FUZZ_CHECK(plain.ok(), "a plain --env value fails where the hostile one rendered");
  std::vector<std::string> hostile_shape, plain_shape;
  for (const Json& doc : *rendered) Skeleton(doc, "", hostile_shape);
  for (const Json& doc : *plain) Skeleton(doc, "", plain_shape);
  FUZZ_CHECK(hostile_shape == plain_shape, "a hostile --env value changed the manifests' structure");
  return 0;
}
