// Render plans (templates and views) for a spread of flags over serve, train
// and gpu-check: the tests that must hold for every template a workload
// renders (lifted literals, the fast YAML reader) take them from here.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "render/backend.h"
#include "render/values.h"
#include "render/workload.h"

namespace llm::testing {

/// The view a workload's plan renders its templates with, from flags.
inline RenderPlan PlanFor(std::string_view workload_name, std::map<std::string, std::vector<std::string>> flags,
                          std::optional<Backend> backend = std::nullopt, std::vector<std::string> trailing = {}) {
  const WorkloadSpec* workload = FindWorkload(workload_name);
  REQUIRE(workload != nullptr);
  Values values(workload->values);
  for (const auto& [key, occurrences] : flags) {
    const ValueSpec* spec = values.Find(key);
    REQUIRE_MESSAGE(spec != nullptr, key);
    REQUIRE(values.ApplyFlag(*spec, occurrences).ok());
  }
  WorkloadRequest request{"chat", std::string("llm"), values, std::nullopt, backend, std::move(trailing), {}};
  Result<RenderPlan> plan = workload->plan(request);
  REQUIRE_MESSAGE(plan.ok(), (plan.ok() ? "" : plan.error().message()));
  return std::move(plan).value();
}

/// Plans that between them render every template serve, train and gpu-check have.
inline std::vector<RenderPlan> SampleRenderPlans() {
  return {
      PlanFor("serve", {{"model", {"org/m"}}}),
      PlanFor("serve", {{"model", {"org/m"}}, {"replicas", {"3"}}, {"gpus", {"8"}}, {"nodes", {"2"}}}),
      PlanFor("serve", {{"model", {"org/m"}},
                        {"gpus", {"4"}},
                        {"hfTokenSecret", {"hf"}},
                        {"modelCachePvc", {"models:200Gi"}},
                        {"nodeSelector", {"pool=a"}},
                        {"tolerations", {"gpu=true:NoSchedule"}},
                        {"env", {"A=1", "B=two words"}},
                        {"args", {"--enforce-eager"}},
                        {"autoscale", {"2:8"}},
                        {"cpu", {"2"}},
                        {"monitor", {"true"}},
                        {"dashboard", {"true"}},
                        {"priorityClass", {"high"}},
                        {"queue", {"team-a"}}}),
      PlanFor("serve", {{"model", {"org/m"}},
                        {"gpus", {"8"}},
                        {"nodes", {"2"}},
                        {"engine", {"sglang"}},
                        {"autoscale", {"1:4"}},
                        {"autoscaleMetric", {"kv-cache"}},
                        {"prometheusUrl", {"http://prometheus.monitoring:9090"}}}),
      PlanFor("serve", {{"model", {"org/m"}}, {"engine", {"tgi"}}, {"dashboard", {"true"}}}),
      PlanFor("train", {{"image", {"img:1"}}, {"nodes", {"2"}}}, std::nullopt, {"torchrun", "t.py", "--lr", "3e-4"}),
      PlanFor("train",
              {{"image", {"img:1"}},
               {"nodes", {"2:4"}},
               {"checkpoint", {"ckpt:/ckpt"}},
               {"data", {"data:/data"}},
               {"queue", {"q"}}},
              Backend::kIndexedJob, {"python", "t.py"}),
      PlanFor("gpu-check", {}),
      PlanFor("gpu-check", {{"ncclNodes", {"gpu-node-0", "gpu-node-1"}}}),
      PlanFor("gpu-check", {{"node", {"gpu-node-0"}}, {"tolerations", {"gpu=true:NoSchedule"}}}),
  };
}

}  // namespace llm::testing
