#include "commands/preflight.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

TEST_CASE("AccessReview asks about one verb on one resource, in a namespace when it has one") {
  CHECK(AccessReview("create", "apps", "deployments", "team-a") ==
        nlohmann::json::parse(R"({"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
          "spec":{"resourceAttributes":{"verb":"create","group":"apps","resource":"deployments","namespace":"team-a"}}})"));
  CHECK_FALSE(AccessReview("patch", "", "namespaces", "")["spec"]["resourceAttributes"].contains("namespace"));
}

}  // namespace
}  // namespace llm
