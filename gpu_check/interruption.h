// MarkInterrupted: turns a snapshot of a run that is being cut short (the
// watchdog fired, SIGTERM arrived) into the report that is written: partial,
// and the unfinished test says why it did not finish.
#pragma once

#include <string>

#include "report.h"

namespace llm::gpu_check {

/// Sets report.partial and appends " (<reason>)" to the reason of every test
/// still marked as running (ReportStore::BeginTest stores them as timeout).
void MarkInterrupted(Report& report, const std::string& reason);

}  // namespace llm::gpu_check
