#include "integration/engine_simulator.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <doctest/doctest.h>

namespace llm::testing {
namespace {

std::string ScriptPath(const char* name) { return std::string(LLM_SOURCE_DIR) + "/tests/cluster/" + name; }

}  // namespace

const EngineSimulator& EngineSimulator::Get() {
  static const EngineSimulator simulator([] {
    const std::string dir = TestCluster::Get().dir();
    CommandOutput started = RunCommand({ScriptPath("pod-network.sh"), "start-simulator", LLM_ENGINE_SIM_BINARY},
                                       {"LLM_CLUSTER_DIR=" + dir});
    REQUIRE_MESSAGE(started.exit_code == 0, "the engine simulator did not start: " << started.err);
    return dir + "/engine-sim";
  }());
  return simulator;
}

void EngineSimulator::Steer(const std::string& ip, const nlohmann::json& steering) const {
  // Written aside and renamed, so the simulator never reads half a file.
  const std::string path = control_ + "/pods/" + ip + ".json";
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  std::ofstream(tmp) << steering.dump();
  std::filesystem::rename(tmp, path);
}

void EngineSimulator::Forget(const std::string& ip) const {
  std::error_code ec;
  std::filesystem::remove(control_ + "/pods/" + ip + ".json", ec);
}

ServedModel::ServedModel(std::string ns) : ns_(std::move(ns)) {
  EngineSimulator::Get();
  TestCluster::Get().Kubectl("admin", {"delete", "namespace", ns_, "--ignore-not-found", "--wait=true"});
  TestCluster::Get().CreateNamespace(ns_);
}

ServedModel::~ServedModel() {
  for (const std::string& ip : steered_) EngineSimulator::Get().Forget(ip);
  TestCluster::Get().Kubectl("admin", {"delete", "namespace", ns_, "--wait=false"});
}

void ServedModel::Serve(const std::string& name, const std::string& model, const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"serve", name, "-n", ns_, "--model", model};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandOutput out = TestCluster::Get().Plugin("admin", argv);
  REQUIRE_MESSAGE(out.exit_code == 0, "serve failed: " << out.out << out.err);
}

std::map<std::string, std::string> ServedModel::ReadyPods(const std::string& name, int count,
                                                          std::chrono::seconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    CommandOutput slices = TestCluster::Get().Kubectl(
        "admin", {"get", "endpointslices", "-n", ns_, "-l", "kubernetes.io/service-name=" + name, "-o", "json"});
    std::map<std::string, std::string> ready;
    if (slices.exit_code == 0) {
      // Named: a range-for over parse(...)["items"] would iterate a destroyed temporary.
      const nlohmann::json list = nlohmann::json::parse(slices.out);
      for (const auto& slice : list["items"]) {
        for (const auto& endpoint : slice.value("endpoints", nlohmann::json::array())) {
          if (!endpoint.value("conditions", nlohmann::json::object()).value("ready", false)) continue;
          ready[endpoint["targetRef"]["name"]] = endpoint["addresses"][0];
        }
      }
    }
    if (static_cast<int>(ready.size()) == count) return ready;
    last = slices.out + slices.err;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  FAIL("service " << name << " in " << ns_ << " did not get " << count << " ready endpoints: " << last);
  return {};
}

void ServedModel::Steer(const std::string& ip, const nlohmann::json& steering) {
  EngineSimulator::Get().Steer(ip, steering);
  steered_.push_back(ip);
}

}  // namespace llm::testing
