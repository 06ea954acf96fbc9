// WriteReport: the three outputs of a run. One JSON line on stdout (easy to
// pick out of pod logs), the indented document in --json FILE, and the <= 4 KiB
// termination summary in the termination-log file that the kubelet copies into
// pod status.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "report.h"
#include "status.h"

namespace llm::gpu_check {

/// Where files go; an empty path is skipped.
struct OutputTargets {
  std::string json_path;
  std::string termination_log_path;
};

/// File writes behind an interface so tests see exactly what was written.
class FileWriter {
 public:
  virtual ~FileWriter() = default;
  virtual Status WriteFile(const std::string& path, std::string_view content) = 0;
};

/// Truncates and writes the file.
class RealFileWriter : public FileWriter {
 public:
  Status WriteFile(const std::string& path, std::string_view content) override;
};

/// Writes all outputs of an evaluated report. A file that cannot be written
/// does not stop the others; each such failure comes back as a warning line
/// (outside Kubernetes /dev/termination-log usually does not exist).
std::vector<std::string> WriteReport(const Report& report, const OutputTargets& targets, std::ostream& out,
                                     FileWriter& files);

}  // namespace llm::gpu_check
