#include "render/serve_engine.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

TEST_CASE("every engine row is complete: pinned image, probe and health paths, queue metric, launch lines") {
  REQUIRE_FALSE(ServeEngines().empty());
  for (const ServeEngine& engine : ServeEngines()) {
    CAPTURE(engine.name);
    CHECK_FALSE(engine.name.empty());
    CHECK(engine.default_image.find(':') != std::string_view::npos);
    CHECK_FALSE(engine.default_image.ends_with(":latest"));
    CHECK(engine.probe_path.starts_with("/"));
    CHECK(engine.health_check_path.starts_with("/"));
    CHECK(engine.metrics_path.starts_with("/"));
    CHECK((engine.served_name_flag.empty() || engine.served_name_flag.starts_with("--")));
    // kubectl llm metrics reads these; metrics --check requires them on a live pod.
    CHECK_FALSE(engine.metrics.e2e_latency_seconds.empty());
    CHECK_FALSE(engine.metrics.generation_tokens_total.empty());
    // --autoscale-metric=queue scales on it, so every engine must name one.
    CHECK_FALSE(engine.metrics.requests_waiting.empty());
    CHECK_FALSE(engine.metrics.requests_running.empty());
    REQUIRE(static_cast<bool>(engine.leader));
    LaunchParams params;
    params.model = "org/m";
    CHECK_FALSE(engine.leader(params).command.empty());
    CHECK(FindServeEngine(engine.name) == &engine);
  }
  CHECK(FindServeEngine("triton") == nullptr);
  CHECK(ServeEngineNames() == "vllm, sglang, tgi");
  CHECK(ServeEngineNames([](const ServeEngine& e) { return e.multi_node(); }) == "vllm, sglang");
}

TEST_CASE("--arg values come last on the serving container, vLLM's Ray workers take none, SGLang's take them") {
  LaunchParams params;
  params.model = "org/m";
  params.nodes = 2;
  params.user_args = {"--enforce-eager"};
  const Launch vllm = LeaderLaunch(*FindServeEngine("vllm"), params);
  CHECK(vllm.command.front() == "/bin/sh");
  CHECK(vllm.args.back() == "--enforce-eager");
  CHECK(WorkerLaunch(*FindServeEngine("vllm"), params).args.empty());
  const Launch sglang_worker = WorkerLaunch(*FindServeEngine("sglang"), params);
  CHECK(sglang_worker.command == std::vector<std::string>{"python3", "-m", "sglang.launch_server"});
  CHECK(sglang_worker.args.back() == "--enforce-eager");
}

}  // namespace
}  // namespace llm
