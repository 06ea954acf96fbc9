// --set paths and values files. The input is `--set` assignments, one per
// line, then a line "---" and a values file. Every outcome is a value or an
// error naming where it came from (--set, or the file); what a --set applied
// reads back as set (a scalar or a switch as its text, a map entry under its key, a list
// item at its index); every typed read of a known key either succeeds or
// errors, never crashes.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.h"
#include "render/values.h"
#include "render/workload.h"

namespace {

/// Checks that the --set `line`, which applied, reads back from `values`.
void CheckReadsBack(const llm::Values& values, std::string_view line) {
  using llm::ValueKind;
  const size_t eq = line.find('=');
  const std::string_view path = line.substr(0, eq);
  const std::string value(line.substr(eq + 1));
  const size_t sep = path.find_first_of(".[");
  const std::string_view key = path.substr(0, sep);
  const llm::ValueSpec* spec = values.Find(key);
  FUZZ_CHECK(spec != nullptr, "a --set of an unknown key applied");
  // A switch is kept as its text until Bool() reads it, as a scalar is.
  const bool textual = spec->kind == ValueKind::kScalar || spec->kind == ValueKind::kSwitch;
  if (sep == std::string_view::npos && textual) {
    FUZZ_CHECK(values.String(key) == value, "a --set scalar or switch does not read back as set");
  } else if (sep == std::string_view::npos && spec->kind == ValueKind::kList) {
    FUZZ_CHECK(values.List(key) == std::vector<std::string>{value}, "a --set list does not read back as set");
  } else if (sep == std::string_view::npos) {
    FUZZ_CHECK(false, "a --set of a whole map applied");
  } else if (path[sep] == '.') {
    FUZZ_CHECK(spec->kind == ValueKind::kMap, "'.KEY' applied to a key that is not a map");
    const auto map = values.Map(key);
    const auto it = map.find(std::string(path.substr(sep + 1)));
    FUZZ_CHECK(it != map.end() && it->second == value, "a --set map entry does not read back as set");
  } else {
    FUZZ_CHECK(spec->kind == ValueKind::kList, "'[INDEX]' applied to a key that is not a list");
    size_t index = 0;
    std::from_chars(path.data() + sep + 1, path.data() + path.size(), index);
    const auto list = values.List(key);
    FUZZ_CHECK(index < list.size() && list[index] == value, "a --set list item does not read back as set");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace llm;
  std::string_view rest = fuzz::Text(data, size);
  const size_t split = rest.find("\n---\n");
  std::string_view sets = rest.substr(0, split);
  const std::string_view file = split == std::string_view::npos ? std::string_view() : rest.substr(split + 5);

  Values values(ServeValueSpecs());
  if (!file.empty()) {
    const Status merged = values.MergeFile(file, "values.yaml");
    if (!merged.ok()) {
      FUZZ_CHECK(merged.error().message().find("values.yaml") != std::string::npos,
                 "a values-file error that does not name the file");
    }
  }
  while (!sets.empty()) {
    const std::string_view line = fuzz::TakeUntil(sets, '\n');
    const Status applied = values.ApplySet(line);
    if (!applied.ok()) {
      FUZZ_CHECK(applied.error().message().find("--set") != std::string::npos,
                 "a --set error that does not name --set");
      continue;
    }
    CheckReadsBack(values, line);
  }
  for (const ValueSpec& spec : values.specs()) {
    switch (spec.kind) {
      case ValueKind::kScalar: {
        auto read = values.Int(spec.key, 0, 1 << 20);
        if (!read.ok()) {
          FUZZ_CHECK(read.error().message().find(values.Origin(spec.key)) != std::string::npos,
                     "an integer error that does not say where the value came from");
        }
        (void)values.String(spec.key);
        break;
      }
      case ValueKind::kMap:
        (void)values.Map(spec.key);
        break;
      case ValueKind::kList:
        (void)values.List(spec.key);
        break;
      case ValueKind::kSwitch: {
        auto read = values.Bool(spec.key);
        if (!read.ok()) {
          FUZZ_CHECK(read.error().message().find(values.Origin(spec.key)) != std::string::npos,
                     "a true/false error that does not say where the value came from");
        }
        break;
      }
    }
    FUZZ_CHECK(!values.Origin(spec.key).empty(), "a key without an origin");
  }
  return 0;
}
