#include "workload/scaled_revision.h"

#include "kube/object_fields.h"

namespace llm {

std::vector<nlohmann::json> WithSpecFields(std::vector<nlohmann::json> objects, const std::string& kind,
                                           const std::string& name, const nlohmann::json& spec_fields, bool& found) {
  found = false;
  for (nlohmann::json& object : objects) {
    if (StringAt(object, {"kind"}) != kind || NameOf(object) != name) continue;
    for (const auto& [field, value] : spec_fields.items()) object["spec"][field] = value;
    found = true;
  }
  return objects;
}

}  // namespace llm
