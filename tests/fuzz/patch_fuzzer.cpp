// --patch: JSON Patch and JSON Merge Patch documents (YAML or JSON) applied to
// rendered manifests. The first line is the flag's KIND/NAME=FILE, the rest the
// file. A patch either applies or is refused with an error naming --patch;
// one that applies changes only the object it names, never its apiVersion,
// kind or name, and never adds or drops a manifest.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "render/manifest_patch.h"

namespace {

const llm::Json& Field(const llm::Json& object, const char* pointer) {
  static const llm::Json kAbsent;
  const llm::Json::json_pointer path(pointer);
  return object.contains(path) ? object[path] : kAbsent;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace llm;
  std::string_view rest = fuzz::Text(data, size);
  const std::string_view flag = fuzz::TakeUntil(rest, '\n');
  auto target = ParsePatchFlag(flag);
  if (!target.ok()) {
    FUZZ_CHECK(target.error().message().starts_with("--patch"), "a --patch flag error that does not name --patch");
    return 0;
  }
  static const std::vector<Json> kRendered = {
      Json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"chat","labels":{"a":"b"}},)"
                  R"("spec":{"type":"ClusterIP","ports":[{"port":8000}]}})"),
      Json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"chat"},)"
                  R"("spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"c","image":"i"}]}}}})")};
  std::vector<Json> manifests = kRendered;
  const Status applied = ApplyManifestPatch(manifests, *target, rest);
  if (!applied.ok()) {
    FUZZ_CHECK(applied.error().message().starts_with("--patch"), "a patch error that does not name --patch");
    FUZZ_CHECK(manifests == kRendered, "a refused patch changed the manifests");
    return 0;
  }
  FUZZ_CHECK(manifests.size() == kRendered.size(), "a patch added or removed a manifest");
  int changed = 0;
  for (size_t i = 0; i < manifests.size(); ++i) {
    for (const char* pointer : {"/apiVersion", "/kind", "/metadata/name"}) {
      FUZZ_CHECK(Field(manifests[i], pointer) == Field(kRendered[i], pointer),
                 "a patch changed an object's apiVersion, kind or name");
    }
    if (manifests[i] != kRendered[i]) ++changed;
  }
  FUZZ_CHECK(changed <= 1, "a patch changed an object it does not name");
  return 0;
}
