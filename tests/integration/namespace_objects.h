// What a namespace holds of every kind kubectl-llm could write there, for
// tests that assert a command wrote nothing (or left nothing behind).
#pragma once

#include <string>

#include <doctest/doctest.h>

#include "integration/test_cluster.h"

namespace llm::testing {

/// "kind/name" lines, as `kubectl get -o name` prints them, read as admin.
inline std::string NamespaceObjects(const std::string& ns) {
  CommandOutput out = TestCluster::Get().Kubectl(
      "admin", {"-n", ns, "get",
                "all,secrets,configmaps,horizontalpodautoscalers,poddisruptionbudgets,leaderworkersets,jobsets,"
                "persistentvolumeclaims,scaledobjects,podmonitors",
                "-o", "name"});
  REQUIRE_MESSAGE(out.exit_code == 0, out.err);
  return out.out;
}

}  // namespace llm::testing
