#include "health_session.h"

namespace llm::gpu_check {

std::unique_ptr<HealthSession> HealthSession::Start(const std::vector<MonitoredGpu>& gpus,
                                                    const std::string& library_path) {
  std::unique_ptr<HealthSession> s(new HealthSession());
  NvmlOpenResult opened = NvmlLibrary::Open(library_path);
  if (opened.library == nullptr) {
    if (opened.broken) {
      s->failure_ = Failure(ExitCode::kRuntimeError, opened.reason);
    } else {
      s->skip_reason_ = opened.reason;
    }
    return s;
  }
  s->library_ = std::move(opened.library);
  s->reader_ = std::make_unique<NvmlHealthReader>(*s->library_);
  auto monitor = std::make_unique<HealthMonitor>(*s->reader_, gpus);
  if (Status begun = monitor->Begin(); !begun.ok()) {
    s->failure_ = begun.failure();
    return s;
  }
  s->monitor_ = std::move(monitor);
  return s;
}

}  // namespace llm::gpu_check
