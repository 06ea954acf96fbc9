#include "workload/change_cause.h"

namespace llm {

bool IsWorkloadKind(const std::string& kind) {
  return kind == "Deployment" || kind == "StatefulSet" || kind == "LeaderWorkerSet" || kind == "JobSet" ||
         kind == "Job";
}

std::vector<nlohmann::json> WithChangeCause(std::vector<nlohmann::json> objects, const std::string& cause) {
  for (nlohmann::json& object : objects) {
    if (IsWorkloadKind(object.value("kind", ""))) {
      object["metadata"]["annotations"][kChangeCauseAnnotation] = cause;
    }
  }
  return objects;
}

}  // namespace llm
