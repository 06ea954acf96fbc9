#include "kube/access_review.h"

#include <doctest/doctest.h>

#include "fakes/fake_rest_client.h"

namespace llm::kube {
namespace {

TEST_CASE("an access review asks about one verb on one resource, in a namespace when it has one") {
  CHECK(AccessReviewBody({"create", "apps", "deployments", "", "team-a"}) ==
        nlohmann::json::parse(R"({"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
          "spec":{"resourceAttributes":{"verb":"create","group":"apps","resource":"deployments","namespace":"team-a"}}})"));
  const nlohmann::json cluster_scoped = AccessReviewBody({"patch", "", "namespaces", "", ""});
  CHECK_FALSE(cluster_scoped["spec"]["resourceAttributes"].contains("namespace"));
  CHECK(AccessReviewBody({"create", "", "pods", "log", "ml"})["spec"]["resourceAttributes"]["subresource"] == "log");
  CHECK(RulesReviewBody("ml") == nlohmann::json::parse(R"({"apiVersion":"authorization.k8s.io/v1",
          "kind":"SelfSubjectRulesReview","spec":{"namespace":"ml"}})"));
}

/// Answers every SelfSubjectAccessReview it is sent with `status`.
class ReviewingClient : public testing::FakeRestClient {
 public:
  nlohmann::json status;
  Result<nlohmann::json> Create(const ResourceRef&, const nlohmann::json& object, bool) override {
    nlohmann::json answer = object;
    answer["status"] = status;
    return answer;
  }
};

TEST_CASE("AskAccess reads allowed and the authorizer's reason from the answer") {
  ReviewingClient client;
  client.status = {{"allowed", true}};
  auto yes = AskAccess(client, {"list", "", "nodes", "", ""});
  REQUIRE(yes.ok());
  CHECK(yes->allowed);
  client.status = {{"allowed", false}, {"reason", "no RBAC policy matched"}};
  auto no = AskAccess(client, {"list", "", "nodes", "", ""});
  REQUIRE(no.ok());
  CHECK_FALSE(no->allowed);
  CHECK(no->reason == "no RBAC policy matched");
}

}  // namespace
}  // namespace llm::kube
