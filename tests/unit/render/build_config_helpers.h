// For the tests of the workloads' config builders (Build*Config): values set
// as the command line would set them, so that a builder is tested without the
// CLI and its errors still name the flag; and the usage error it must return.
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "render/values.h"
#include "util/result.h"

namespace llm::testing {

using Flags = std::vector<std::pair<std::string, std::vector<std::string>>>;

/// `flags`: {"--gpus", {"2"}}, {"--env", {"A=1", "B=2"}} ... in command-line order.
inline Values FlagValues(std::span<const ValueSpec> specs, const Flags& flags) {
  Values values(specs);
  for (const auto& [flag, occurrences] : flags) {
    const ValueSpec* spec = nullptr;
    for (const ValueSpec& s : specs) {
      if (s.flag == flag) spec = &s;
    }
    REQUIRE_MESSAGE(spec != nullptr, "no value has the flag " << flag);
    REQUIRE(values.ApplyFlag(*spec, occurrences).ok());
  }
  return values;
}

/// A usage error (exit code 2) with exactly this message.
template <typename T>
void CheckUsageError(const Result<T>& result, const std::string& message) {
  CAPTURE(message);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind() == ErrorKind::kUsage);
  CHECK(result.error().message() == message);
}

}  // namespace llm::testing
