// The fault suite's look at the cluster as admin, past the fault proxy:
// `kubectl ... -o json`, parsed (the test fails when kubectl does).
#pragma once

#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "integration/test_cluster.h"

namespace llm::testing {

inline nlohmann::json KubectlJson(const std::vector<std::string>& args) {
  CommandOutput r = TestCluster::Get().Kubectl("admin", args);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return nlohmann::json::parse(r.out);
}

}  // namespace llm::testing
