#include "report_writer.h"

#include <doctest/doctest.h>

#include <algorithm>

#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "evaluate_report.h"
#include "report_fixtures.h"
#include "termination_summary.h"

namespace llm::gpu_check {

namespace {

class FakeFiles : public FileWriter {
 public:
  Status WriteFile(const std::string& path, std::string_view content) override {
    if (path == "/unwritable") return Failure(ExitCode::kRuntimeError, path + ": No such file or directory");
    files[path] = std::string(content);
    return OkStatus();
  }
  std::map<std::string, std::string> files;
};

Report Evaluated() {
  Report r;
  r.gpus = testing::H100s(2);
  r.tests = {testing::HbmTest({2900, 2910})};
  EvaluateReport(r, BuiltinThresholds());
  return r;
}

}  // namespace

TEST_CASE("WriteReport: one JSON line on stdout, the document and the summary in files") {
  FakeFiles files;
  std::ostringstream out;
  const Report r = Evaluated();
  auto warnings = WriteReport(r, {"/out/result.json", "/dev/termination-log"}, out, files);
  CHECK(warnings.empty());
  const std::string line = out.str();
  CHECK(line.back() == '\n');
  CHECK(std::count(line.begin(), line.end(), '\n') == 1);
  const auto doc = nlohmann::json::parse(line);
  CHECK(doc["verdict"]["status"] == "pass");
  CHECK(nlohmann::json::parse(files.files.at("/out/result.json")) == doc);
  auto summary = ParseTerminationSummary(files.files.at("/dev/termination-log"));
  REQUIRE(summary.ok());
  CHECK(summary->status == TestStatus::kPass);
  CHECK(summary->tests.at("hbm") == TestStatus::kPass);
}

TEST_CASE("WriteReport: unwritable files are warnings, stdout still gets the document") {
  FakeFiles files;
  std::ostringstream out;
  auto warnings = WriteReport(Evaluated(), {"", "/unwritable"}, out, files);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "--termination-log: /unwritable: No such file or directory");
  CHECK_FALSE(out.str().empty());
  CHECK(files.files.empty());
}

TEST_CASE("RealFileWriter writes and reports errors") {
  RealFileWriter w;
  CHECK_FALSE(w.WriteFile("/nonexistent-dir/x", "a").ok());
}

}  // namespace llm::gpu_check
