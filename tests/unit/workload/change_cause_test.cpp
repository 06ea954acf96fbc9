#include "workload/change_cause.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

using nlohmann::json;

TEST_CASE("change cause: set on objects with rollouts, kept off the rest and off the input") {
  const std::vector<json> rendered = {
      {{"kind", "Deployment"}, {"metadata", {{"name", "chat"}, {"annotations", {{"a", "b"}}}}}},
      {{"kind", "Service"}, {"metadata", {{"name", "chat"}}}},
      {{"kind", "JobSet"}, {"metadata", {{"name", "t"}}}}};
  const std::vector<json> annotated = WithChangeCause(rendered, "kubectl llm serve chat --model m");
  CHECK(annotated[0]["metadata"]["annotations"] ==
        json{{"a", "b"}, {"kubernetes.io/change-cause", "kubectl llm serve chat --model m"}});
  CHECK_FALSE(annotated[1]["metadata"].contains("annotations"));
  CHECK(annotated[2]["metadata"]["annotations"]["kubernetes.io/change-cause"] == "kubectl llm serve chat --model m");
  CHECK_FALSE(rendered[2]["metadata"].contains("annotations"));
}

}  // namespace
}  // namespace llm
