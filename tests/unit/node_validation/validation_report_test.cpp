#include "node_validation/validation_report.h"

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

namespace llm {
namespace {

const TimePoint kStart = std::chrono::system_clock::from_time_t(1795867200);  // 2026-11-28T12:00:00Z

NodeValidationReport Sample() {
  NodeValidationReport report;
  report.profile = "quick";
  report.image = "ghcr.io/kubectl-llm/llm-gpu-check:0.1.0";
  report.tool_version = "0.1.0";
  report.started_at = kStart;
  report.finished_at = kStart + std::chrono::seconds(200);
  NodeResult a;
  a.node = "gpu-a";
  a.pod = "gpu-check-r1-gpu-a";
  a.verdict = Verdict::kPass;
  a.exit_code = 0;
  a.started_at = kStart + std::chrono::seconds(5);
  a.finished_at = kStart + std::chrono::seconds(98);
  a.bandwidth = {2874.44, 51.96, 53.21, 372.08, 478.25};
  a.gpu_count = 8;
  a.model = "H100-SXM-80GB";
  NodeResult b;
  b.node = "gpu-b";
  b.pod = "gpu-check-r1-gpu-b";
  b.verdict = Verdict::kError;
  b.reason = "timed out after 10m0s";
  b.started_at = kStart;
  b.finished_at = kStart + std::chrono::seconds(600);
  report.results = {a, b};
  report.skipped = {{"gpu-c", "NVIDIA-A100-SXM4-80GB", "cordoned (spec.unschedulable)"}};
  NodeSelection selection;
  selection.to_test = {{"gpu-a", "NVIDIA-H100-80GB-HBM3", 8, ""}, {"gpu-b", "", 8, ""}};
  AddProducts(selection, report.results);
  return report;
}

}  // namespace

TEST_CASE("FormatReportTable: kubectl-style columns, GB/s with one decimal, skipped nodes last") {
  CHECK(
      FormatReportTable(Sample()) ==
      "NODE    PRODUCT                 VERDICT   HBM      H2D    D2H    P2P MIN   ALLREDUCE BUSBW   DURATION   REASON\n"
      "gpu-a   NVIDIA-H100-80GB-HBM3   pass      2874.4   52.0   53.2   372.1     478.3             93s\n"
      "gpu-b   -                       error     -        -      -      -         -                 10m        timed "
      "out after 10m0s\n"
      "gpu-c   NVIDIA-A100-SXM4-80GB   skipped   -        -      -      -         -                 -          "
      "cordoned (spec.unschedulable)\n");
}

TEST_CASE("ReportJson: the NodeValidationReport shape documented in README.md") {
  const nlohmann::ordered_json j = ReportJson(Sample());
  CHECK(j["apiVersion"] == "kubectl-llm.dev/v1alpha1");
  CHECK(j["kind"] == "NodeValidationReport");
  CHECK(j["metadata"]["creationTimestamp"] == "2026-11-28T12:03:20Z");
  CHECK(
      j["spec"].dump() ==
      R"({"profile":"quick","image":"ghcr.io/kubectl-llm/llm-gpu-check:0.1.0","toolVersion":"0.1.0","dryRun":false,"record":false,"taintFailed":false})");
  CHECK(j["status"]["summary"].dump() == R"({"tested":2,"passed":1,"failed":0,"errors":1,"skipped":1})");
  CHECK(j["status"]["nodes"][0].dump() ==
        R"({"name":"gpu-a","product":"NVIDIA-H100-80GB-HBM3","verdict":"pass","reason":"","pod":"gpu-check-r1-gpu-a",)"
        R"("exitCode":0,"model":"H100-SXM-80GB","gpuCount":8,"startedAt":"2026-11-28T12:00:05Z",)"
        R"("finishedAt":"2026-11-28T12:01:38Z","durationSeconds":93,"bandwidthGBps":{"hbm":2874.4,"h2d":52.0,)"
        R"("d2h":53.2,"p2pMin":372.1,"allReduceBusBw":478.3},"suspectGpus":[],"zone":"","health":null,"detail":null})");
  CHECK(j["status"]["nodes"][1]["exitCode"].is_null());
  CHECK(j["status"]["nodes"][1]["bandwidthGBps"]["hbm"].is_null());
  CHECK(
      j["status"]["skipped"].dump() ==
      R"js([{"name":"gpu-c","product":"NVIDIA-A100-SXM4-80GB","reason":"cordoned (spec.unschedulable)","zone":""}])js");
}

TEST_CASE("ReportJson: zone, health findings and the per-GPU detail the pictures use") {
  NodeValidationReport report = Sample();
  NodeResult& a = report.results[0];
  a.zone = "us-east-1a";
  a.health = {true, {{6, "xid"}}, {{-1, "xid_unwatched"}}};
  a.detail.hbm = {4100.04, std::nullopt};
  a.detail.p2p = {{std::nullopt, 380.06}, {379.9, std::nullopt}};
  a.detail.floors = {{"hbm", 3700}, {"p2pMin", 335}};
  const nlohmann::ordered_json n = ReportJson(report)["status"]["nodes"][0];
  CHECK(n["zone"] == "us-east-1a");
  CHECK(n["health"].dump() == R"({"failed":[{"gpu":6,"rule":"xid"}],"warnings":[{"gpu":-1,"rule":"xid_unwatched"}]})");
  CHECK(n["detail"].dump() ==
        R"({"hbmGBps":[4100.0,null],"h2dGBps":[],"d2hGBps":[],"p2pGBps":[[null,380.1],[379.9,null]],)"
        R"("floorsGBps":{"hbm":3700.0,"p2pMin":335.0}})");
  // A health check that ran and found nothing is not the same as none.
  report.results[0].health = {true, {}, {}};
  CHECK(ReportJson(report)["status"]["nodes"][0]["health"].dump() == R"({"failed":[],"warnings":[]})");
}

TEST_CASE("FormatReport: JSON and YAML carry the same document") {
  const NodeValidationReport report = Sample();
  const std::string json = FormatReport(report, OutputFormat::kJson);
  CHECK(json.back() == '\n');
  CHECK(nlohmann::ordered_json::parse(json) == ReportJson(report));
  const YAML::Node yaml = YAML::Load(FormatReport(report, OutputFormat::kYaml));
  CHECK(yaml["kind"].as<std::string>() == "NodeValidationReport");
  CHECK(yaml["status"]["nodes"][0]["bandwidthGBps"]["hbm"].as<double>() == doctest::Approx(2874.4));
  CHECK(yaml["status"]["nodes"][1]["reason"].as<std::string>() == "timed out after 10m0s");
  CHECK(yaml["status"]["nodes"][1]["exitCode"].IsNull());
  CHECK(yaml["spec"]["toolVersion"].as<std::string>() == "0.1.0");  // a string even when it looks like a number
  CHECK(yaml["spec"]["toolVersion"].Tag() == "!");                  // quoted in the text
}

TEST_CASE("--multi-node: the bad node fails, a MULTI-NODE BUSBW column, a pair table and JSON additions") {
  NodeValidationReport report = Sample();
  report.results[1].verdict = Verdict::kPass;
  report.results[1].reason = "";
  NodeResult c = report.results[0];
  c.node = "gpu-d";
  report.results.push_back(c);
  report.multi_node = true;
  PairTestResult p1;
  p1.job = "gpu-check-r1-pair-1";
  p1.nodes = {"gpu-a", "gpu-b"};
  p1.round = 1;
  p1.created = p1.done = true;
  p1.verdict = Verdict::kPass;
  p1.allreduce_busbw = 180.04;
  p1.started_at = kStart + std::chrono::seconds(100);
  p1.finished_at = kStart + std::chrono::seconds(130);
  PairTestResult p2 = p1;
  p2.job = "gpu-check-r1-pair-2";
  p2.nodes = {"gpu-d", "gpu-a"};
  p2.round = 2;
  p2.verdict = Verdict::kFail;
  p2.reason = "all-reduce bus bandwidth 45.0 GB/s is below 0.85 x the median of the 2 pairs measured (112.5 GB/s)";
  p2.allreduce_busbw = 45.0;
  report.pairs = {p1, p2};
  MultiNodeNodeResult good{"gpu-a", MultiNodeConclusion::kGood, "", 180.04, {p1.job, p2.job}};
  MultiNodeNodeResult b{"gpu-b", MultiNodeConclusion::kGood, "", 180.04, {p1.job}};
  MultiNodeNodeResult bad{
      "gpu-d", MultiNodeConclusion::kBad, "the all-reduce with known-good node gpu-a failed: slow", 45.0, {p2.job}};
  ApplyMultiNodeResults({good, b, bad}, report);
  CHECK(report.results[2].verdict == Verdict::kFail);
  CHECK(report.results[2].reason == "multi-node: the all-reduce with known-good node gpu-a failed: slow");
  CHECK(report.results[0].verdict == Verdict::kPass);
  CHECK(ReportExitCode(report) == 1);

  CHECK(FormatReportTable(report) ==
        "NODE    PRODUCT                 VERDICT   HBM      H2D    D2H    P2P MIN   ALLREDUCE BUSBW   MULTI-NODE BUSBW "
        "  DURATION   REASON\n"
        "gpu-a   NVIDIA-H100-80GB-HBM3   pass      2874.4   52.0   53.2   372.1     478.3             180.0            "
        "  93s\n"
        "gpu-b   -                       pass      -        -      -      -         -                 180.0            "
        "  10m\n"
        "gpu-d   NVIDIA-H100-80GB-HBM3   fail      2874.4   52.0   53.2   372.1     478.3             45.0             "
        "  93s        multi-node: the all-reduce with known-good node gpu-a failed: slow\n"
        "gpu-c   NVIDIA-A100-SXM4-80GB   skipped   -        -      -      -         -                 -                "
        "  -          cordoned (spec.unschedulable)\n"
        "\n"
        "NODES         JOB                   ROUND   VERDICT   BUSBW   DURATION   REASON\n"
        "gpu-a,gpu-b   gpu-check-r1-pair-1   1       pass      180.0   30s\n"
        "gpu-d,gpu-a   gpu-check-r1-pair-2   2       fail      45.0    30s        all-reduce bus bandwidth 45.0 GB/s "
        "is below 0.85 x the median of the 2 pairs measured (112.5 GB/s)\n");

  const nlohmann::ordered_json j = ReportJson(report);
  CHECK(j["spec"]["multiNode"] == true);
  CHECK(j["status"]["summary"].dump() == R"({"tested":3,"passed":2,"failed":1,"errors":0,"skipped":1})");
  CHECK(j["status"]["nodes"][2]["multiNode"].dump() ==
        R"({"result":"bad","reason":"the all-reduce with known-good node gpu-a failed: slow","allReduceBusBw":45.0,)"
        R"("pairs":["gpu-check-r1-pair-2"]})");
  CHECK(j["status"]["pairs"][0].dump() ==
        R"({"job":"gpu-check-r1-pair-1","nodes":["gpu-a","gpu-b"],"round":1,"verdict":"pass","reason":"",)"
        R"("allReduceBusBw":180.0,"startedAt":"2026-11-28T12:01:40Z","finishedAt":"2026-11-28T12:02:10Z",)"
        R"("durationSeconds":30})");
  // Without --multi-node the document has none of it.
  const nlohmann::ordered_json plain = ReportJson(Sample());
  CHECK_FALSE(plain["spec"].contains("multiNode"));
  CHECK_FALSE(plain["status"].contains("pairs"));
  CHECK_FALSE(plain["status"]["nodes"][0].contains("multiNode"));
}

TEST_CASE("ApplyMultiNodeResults: inconclusive and error make errors, untested keeps the verdict") {
  NodeValidationReport report = Sample();
  report.results[1].verdict = Verdict::kPass;
  NodeResult failed_alone = report.results[0];
  failed_alone.node = "gpu-x";
  failed_alone.verdict = Verdict::kFail;
  failed_alone.reason = "hbm: low";
  report.results.push_back(failed_alone);
  ApplyMultiNodeResults({{"gpu-a", MultiNodeConclusion::kInconclusive, "the all-reduce with gpu-b failed", {}, {}},
                         {"gpu-b", MultiNodeConclusion::kUntested, "no partner", {}, {}},
                         {"gpu-x", MultiNodeConclusion::kBad, "never paired", {}, {}}},
                        report);
  CHECK(report.results[0].verdict == Verdict::kError);
  CHECK(report.results[0].reason == "multi-node: the all-reduce with gpu-b failed");
  CHECK(report.results[1].verdict == Verdict::kPass);
  CHECK(report.results[2].verdict == Verdict::kFail);
  CHECK(report.results[2].reason == "hbm: low");  // a node that failed alone keeps its own reason
}

TEST_CASE("Exit codes: 0 all tested passed, 1 otherwise, 2 usage, 3 could not run") {
  NodeValidationReport report = Sample();
  CHECK(ReportExitCode(report) == 1);
  report.results[1].verdict = Verdict::kPass;
  CHECK(ReportExitCode(report) == 0);
  report.results[0].verdict = Verdict::kFail;
  CHECK(ReportExitCode(report) == 1);
  report.results.clear();  // everything skipped: nothing failed; the skipped list says why
  CHECK(ReportExitCode(report) == 0);
  CHECK(ValidateNodesExitCodeForError(Error(ErrorKind::kUsage, "x")) == 2);
  CHECK(ValidateNodesExitCodeForError(Error(ErrorKind::kConnection, "x")) == 3);
  CHECK(ValidateNodesExitCodeForError(Error(ErrorKind::kForbidden, "x")) == 3);
}

}  // namespace llm
