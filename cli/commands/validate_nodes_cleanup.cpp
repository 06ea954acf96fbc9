#include "commands/validate_nodes_cleanup.h"

#include <fmt/format.h>

#include "commands/validate_nodes_session.h"
#include "kube/url_query.h"
#include "kube/well_known_names.h"

namespace llm {

Status CleanUpValidationRun(kube::RestClient& client, const std::string& ns, const std::string& run_id,
                            bool namespace_created, int pod_batches) {
  const std::string run_selector = fmt::format("{}={}", kGpuCheckRunLabel, run_id);
  auto delete_collection = [&](const kube::ResourceRef& collection, const char* what,
                               const std::string& selector) -> Status {
    kube::HttpRequest request;
    request.method = "DELETE";
    request.path =
        collection.Path() + kube::EncodeQuery({{"labelSelector", selector}, {"propagationPolicy", "Background"}});
    for (int attempt = 1;; ++attempt) {
      auto deleted = client.Do(request);
      if (deleted.ok()) return Ok();
      if (deleted.error().kind() != ErrorKind::kTimeout || attempt == kCleanupAttempts) {
        return deleted.error().WithContext(fmt::format("deleting the gpu-check {}", what));
      }
    }
  };
  LLM_RETURN_IF_ERROR(delete_collection(kube::ResourceRef{"batch", "v1", "jobs", ns, "", ""}, "jobs", run_selector));
  for (int batch = 0; batch + 1 < pod_batches; ++batch) {
    LLM_RETURN_IF_ERROR(delete_collection(kube::core::Pods(ns), "pods",
                                          fmt::format("{},{}={}", run_selector, kGpuCheckBatchLabel, batch)));
  }
  LLM_RETURN_IF_ERROR(delete_collection(kube::core::Pods(ns), "pods", run_selector));
  LLM_RETURN_IF_ERROR(delete_collection(kube::core::Services(ns), "services", run_selector));
  if (!namespace_created) return Ok();
  auto gone = client.Delete(kube::core::Namespaces(ns), kube::DeleteOptions{});
  if (!gone.ok() && gone.error().kind() != ErrorKind::kNotFound) {
    return gone.error().WithContext(fmt::format("deleting namespace {}", ns));
  }
  return Ok();
}

}  // namespace llm
