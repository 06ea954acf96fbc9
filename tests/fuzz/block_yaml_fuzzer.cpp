// Any text, through the fast path of ParseYamlDocuments (util/block_yaml.h) and
// through libyaml: what the fast reader takes, libyaml takes too and reads to
// the same documents, key order included. What it declines, it may decline.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.h"
#include "util/block_yaml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  using namespace llm;
  const std::string_view text = fuzz::Text(bytes, size);
  std::optional<std::vector<Json>> fast = ReadSimpleBlockYaml(text);
  if (!fast) return 0;
  Result<std::vector<Json>> full = ParseYamlWithLibyaml(text, "fuzz");
  FUZZ_CHECK(full.ok(), "what the block reader takes, libyaml takes");
  FUZZ_CHECK(Json(*fast).dump() == Json(*full).dump(), "the block reader reads what libyaml reads");
  return 0;
}
