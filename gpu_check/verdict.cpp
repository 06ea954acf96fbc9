#include "verdict.h"

#include <algorithm>

#include <fmt/format.h>

namespace llm::gpu_check {
namespace {

template <typename T>
void AddUnique(std::vector<T>& v, const T& x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

}  // namespace

void ComputeVerdict(Report& report) {
  Verdict v;
  std::vector<std::string> reasons;
  for (const LintFinding& f : report.lint) {
    if (!f.blocking) continue;
    v.exit_code = MoreSevere(v.exit_code, ExitCode::kTopology);
    AddUnique(v.failed_tests, std::string("lint"));
    reasons.push_back(fmt::format("lint: {}", f.message));
  }
  for (const TestResult& t : report.tests) {
    switch (t.status) {
      case TestStatus::kPass:
      case TestStatus::kSkip:
        break;
      case TestStatus::kFail:
      case TestStatus::kError:
      case TestStatus::kTimeout: {
        ExitCode code = t.code;
        if (t.status == TestStatus::kTimeout) code = ExitCode::kTimeout;
        if (code == ExitCode::kPass) code = ExitCode::kRuntimeError;  // an error without a code is still an error
        v.exit_code = MoreSevere(v.exit_code, code);
        AddUnique(v.failed_tests, t.name);
        reasons.push_back(t.reason.empty() ? fmt::format("{}: {}", t.name, TestStatusName(t.status))
                                           : fmt::format("{}: {}", t.name, t.reason));
        break;
      }
    }
    if (t.health) {
      for (const HealthFinding& f : t.health->findings) {
        if (f.severity == FindingSeverity::kFail && f.gpu >= 0) AddUnique(v.suspect_gpus, f.gpu);
      }
    }
    for (const Series& s : t.series) {
      if (s.status != TestStatus::kFail) continue;
      if (s.peer >= 0) {
        AddUnique(v.suspect_links, SuspectLink{s.gpu, s.peer});
      } else if (s.gpu >= 0) {
        AddUnique(v.suspect_gpus, s.gpu);
      }
    }
  }
  if (report.partial && v.exit_code == ExitCode::kPass) {
    v.exit_code = ExitCode::kTimeout;
    reasons.push_back("interrupted before every selected test ran");
  }
  std::sort(v.suspect_gpus.begin(), v.suspect_gpus.end());
  v.status = v.exit_code == ExitCode::kPass ? TestStatus::kPass : TestStatus::kFail;
  if (!reasons.empty()) {
    v.reason = reasons.front();
    if (reasons.size() > 1) v.reason += fmt::format(" (and {} more)", reasons.size() - 1);
  }
  report.verdict = std::move(v);
}

}  // namespace llm::gpu_check
