// Loads JSON fixtures from tests/testdata/workload (objects as kube-apiserver
// v1.35 returns them).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace llm::testing {

inline nlohmann::json LoadWorkloadFixture(const std::string& relative) {
  std::ifstream in(std::string(LLM_TESTDATA_DIR) + "/workload/" + relative);
  if (!in) throw std::runtime_error("missing fixture " + relative);
  return nlohmann::json::parse(in);
}

}  // namespace llm::testing
