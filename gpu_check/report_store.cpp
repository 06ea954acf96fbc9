#include "report_store.h"

#include <algorithm>

namespace llm::gpu_check {
namespace {

TestResult* Find(Report& r, const std::string& name) {
  auto it = std::find_if(r.tests.begin(), r.tests.end(), [&](const TestResult& t) { return t.name == name; });
  return it == r.tests.end() ? nullptr : &*it;
}

}  // namespace

void ReportStore::Update(const std::function<void(Report&)>& edit) {
  std::lock_guard lock(mu_);
  edit(report_);
}

Report ReportStore::Snapshot() const {
  std::lock_guard lock(mu_);
  return report_;
}

void ReportStore::BeginTest(const std::string& test, const std::string& unfinished_reason) {
  std::lock_guard lock(mu_);
  TestResult t;
  t.name = test;
  t.status = TestStatus::kTimeout;
  t.code = ExitCode::kTimeout;
  t.reason = unfinished_reason;
  if (TestResult* existing = Find(report_, test)) {
    *existing = std::move(t);
  } else {
    report_.tests.push_back(std::move(t));
  }
}

void ReportStore::AddSeries(const std::string& test, Series series) {
  std::lock_guard lock(mu_);
  if (TestResult* t = Find(report_, test)) t->series.push_back(std::move(series));
}

void ReportStore::FinishTest(TestResult result) {
  std::lock_guard lock(mu_);
  if (TestResult* existing = Find(report_, result.name)) {
    *existing = std::move(result);
  } else {
    report_.tests.push_back(std::move(result));
  }
}

}  // namespace llm::gpu_check
