// ReportStore: the report being built, shared between the runner and the
// watchdog thread, so a timeout or SIGTERM can write whatever was measured.
#pragma once

#include <functional>
#include <mutex>

#include "report.h"

namespace llm::gpu_check {

class ReportStore {
 public:
  /// Runs `edit` on the report under the lock.
  void Update(const std::function<void(Report&)>& edit);
  /// A copy of the report as it is now.
  Report Snapshot() const;

  /// Records that `test` started. It is stored as timed out ("did not finish")
  /// until FinishTest replaces it, so a snapshot taken by the watchdog shows
  /// the interrupted test as what it is, with the series measured so far.
  void BeginTest(const std::string& test, const std::string& unfinished_reason);
  /// Appends a measured series to the running test.
  void AddSeries(const std::string& test, Series series);
  /// Replaces the running test's entry with its final result.
  void FinishTest(TestResult result);

 private:
  mutable std::mutex mu_;
  Report report_;
};

}  // namespace llm::gpu_check
