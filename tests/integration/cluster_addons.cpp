#include "integration/cluster_addons.h"

#include <fstream>
#include <string>

#include <doctest/doctest.h>

#include "integration/run_command.h"
#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

void RunAddonScript(const std::string& script) {
  CommandOutput started = RunCommand({std::string(LLM_SOURCE_DIR) + "/tests/cluster/" + script},
                                     {"LLM_CLUSTER_DIR=" + TestCluster::Get().dir()});
  REQUIRE_MESSAGE(started.exit_code == 0, script << ": " << started.err);
}

}  // namespace

std::string StartPrometheus() {
  RunAddonScript("prometheus.sh");
  std::ifstream file(TestCluster::Get().dir() + "/prometheus-url");
  std::string url;
  REQUIRE(std::getline(file, url));
  return url;
}

void StartKeda() { RunAddonScript("keda.sh"); }

}  // namespace llm::testing
