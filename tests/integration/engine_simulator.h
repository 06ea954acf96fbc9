// The engine simulator of the test cluster's pod network, as the endpoint
// tests use it: started once on demand (tests/cluster/pod-network.sh
// start-simulator), then steered per pod IP through its control directory,
// and a served model deployed with the plugin itself whose pods it answers for.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "integration/test_cluster.h"

namespace llm::testing {

class EngineSimulator {
 public:
  /// Starts the simulator if it is not running; fails the test when the
  /// cluster has no pod network (up.sh needs root for it).
  static const EngineSimulator& Get();

  /// Makes the pod at `ip` answer as `steering` says (tests/engine_sim/pod_state.h).
  void Steer(const std::string& ip, const nlohmann::json& steering) const;
  /// Back to the default (a healthy vLLM serving "default").
  void Forget(const std::string& ip) const;

 private:
  explicit EngineSimulator(std::string control) : control_(std::move(control)) {}
  std::string control_;
};

/// A namespace of the test's own, deleted (with what it holds) at the end;
/// the steering of every pod IP it steered is forgotten then too.
class ServedModel {
 public:
  /// Creates namespace `ns`; nothing served yet.
  explicit ServedModel(std::string ns);
  ~ServedModel();
  ServedModel(const ServedModel&) = delete;
  ServedModel& operator=(const ServedModel&) = delete;

  const std::string& ns() const { return ns_; }

  /// `kubectl llm serve NAME -n NS --model MODEL ARGS...`; REQUIREs exit 0.
  void Serve(const std::string& name, const std::string& model, const std::vector<std::string>& args) const;
  /// Waits until the Service NAME has `count` ready endpoints; the pods' IPs by pod name.
  std::map<std::string, std::string> ReadyPods(const std::string& name, int count,
                                               std::chrono::seconds timeout = std::chrono::seconds(60)) const;
  /// Steers the pod at `ip` (forgotten when this ends).
  void Steer(const std::string& ip, const nlohmann::json& steering);

 private:
  std::string ns_;
  std::vector<std::string> steered_;
};

}  // namespace llm::testing
