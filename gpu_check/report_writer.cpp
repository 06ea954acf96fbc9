#include "report_writer.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "report_json.h"
#include "termination_summary.h"

namespace llm::gpu_check {

Status RealFileWriter::WriteFile(const std::string& path, std::string_view content) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return Failure(ExitCode::kRuntimeError, path + ": " + std::strerror(errno));
  file.write(content.data(), static_cast<std::streamsize>(content.size()));
  file.flush();
  if (!file) return Failure(ExitCode::kRuntimeError, path + ": write failed");
  return OkStatus();
}

std::vector<std::string> WriteReport(const Report& report, const OutputTargets& targets, std::ostream& out,
                                     FileWriter& files) {
  std::vector<std::string> warnings;
  const nlohmann::json doc = ToJson(report);
  out << doc.dump() << '\n';
  out.flush();
  if (!targets.json_path.empty()) {
    auto st = files.WriteFile(targets.json_path, doc.dump(2) + "\n");
    if (!st.ok()) warnings.push_back("--json: " + st.failure().message());
  }
  if (!targets.termination_log_path.empty()) {
    auto st = files.WriteFile(targets.termination_log_path, FormatTerminationSummary(SummarizeReport(report)));
    if (!st.ok()) warnings.push_back("--termination-log: " + st.failure().message());
  }
  return warnings;
}

}  // namespace llm::gpu_check
