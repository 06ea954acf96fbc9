#include "kube/access_review.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

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

nlohmann::json Rule(const char* text) { return nlohmann::json::parse(text); }

TEST_CASE("a rule grants as RBAC matches: verb, group and resource exactly or by *, a subresource also by */sub") {
  const AccessQuestion get_proxy{"get", "", "services", "proxy", "ml"};
  CHECK(RuleGrants(Rule(R"({"verbs":["get"],"apiGroups":[""],"resources":["services/proxy"]})"), get_proxy));
  CHECK(RuleGrants(Rule(R"({"verbs":["*"],"apiGroups":["*"],"resources":["*"]})"), get_proxy));
  CHECK(RuleGrants(Rule(R"({"verbs":["get"],"apiGroups":[""],"resources":["*/proxy"]})"), get_proxy));
  // The resource alone does not reach its subresources, nor another subresource.
  CHECK_FALSE(RuleGrants(Rule(R"({"verbs":["get"],"apiGroups":[""],"resources":["services"]})"), get_proxy));
  CHECK_FALSE(RuleGrants(Rule(R"({"verbs":["get"],"apiGroups":[""],"resources":["*/status"]})"), get_proxy));
  CHECK_FALSE(RuleGrants(Rule(R"({"verbs":["get"],"apiGroups":[""],"resources":["services/*"]})"), get_proxy));
  CHECK_FALSE(RuleGrants(Rule(R"({"verbs":["create"],"apiGroups":[""],"resources":["services/proxy"]})"), get_proxy));
  CHECK_FALSE(RuleGrants(Rule(R"({"verbs":["get"],"apiGroups":["apps"],"resources":["services/proxy"]})"), get_proxy));
  // A rule for named objects does not grant a question that names none.
  CHECK_FALSE(
      RuleGrants(Rule(R"({"verbs":["get"],"apiGroups":[""],"resources":["services/proxy"],"resourceNames":["chat"]})"),
                 get_proxy));
  const AccessQuestion list_slices{"list", "discovery.k8s.io", "endpointslices", "", "ml"};
  CHECK(
      RuleGrants(Rule(R"({"verbs":["list","watch"],"apiGroups":["discovery.k8s.io"],"resources":["endpointslices"]})"),
                 list_slices));
  CHECK_FALSE(
      RuleGrants(Rule(R"({"verbs":["list"],"apiGroups":["discovery.k8s.io"],"resources":["*/proxy"]})"), list_slices));
  CHECK_FALSE(RuleGrants(Rule(R"("not a rule")"), list_slices));
}

/// Answers a SelfSubjectRulesReview with `rules` (and `incomplete`), and every
/// SelfSubjectAccessReview with `allowed`; records what it was asked.
class RulesClient : public testing::FakeRestClient {
 public:
  nlohmann::json rules = nlohmann::json::array();
  bool incomplete = false;
  bool allowed = false;
  std::vector<std::string> asked;  ///< "rules <ns>" or "access <verb> <resource>"
  Result<nlohmann::json> Create(const ResourceRef& ref, const nlohmann::json& object, bool) override {
    nlohmann::json answer = object;
    if (ref.resource == "selfsubjectrulesreviews") {
      asked.push_back("rules " + object["spec"]["namespace"].get<std::string>());
      answer["status"] = {{"resourceRules", rules}, {"incomplete", incomplete}};
    } else {
      const nlohmann::json& attributes = object["spec"]["resourceAttributes"];
      asked.push_back(fmt::format("access {} {}", attributes["verb"].get<std::string>(),
                                  attributes["resource"].get<std::string>()));
      answer["status"] = {{"allowed", allowed}, {"reason", allowed ? "" : "no RBAC policy matched"}};
    }
    return answer;
  }
};

TEST_CASE("AskAccessAll: one rules review per namespace answers what its rules grant, an access review the rest") {
  RulesClient client;
  client.rules = nlohmann::json::parse(R"([{"verbs":["get","create"],"apiGroups":[""],"resources":["*/proxy"]}])");
  const std::vector<AccessQuestion> questions = {{"get", "", "services", "proxy", "ml"},
                                                 {"create", "", "pods", "proxy", "ml"},
                                                 {"list", "discovery.k8s.io", "endpointslices", "", "ml"},
                                                 {"list", "", "nodes", "", ""}};
  auto answers = AskAccessAll(client, questions);
  REQUIRE(answers.ok());
  REQUIRE(answers->size() == 4);
  CHECK((*answers)[0].allowed);
  CHECK((*answers)[1].allowed);
  // Not in the rules, and cluster-scoped: the access review decides, with its reason.
  CHECK_FALSE((*answers)[2].allowed);
  CHECK((*answers)[2].reason == "no RBAC policy matched");
  CHECK_FALSE((*answers)[3].allowed);
  CHECK(client.asked == std::vector<std::string>{"rules ml", "access list endpointslices", "access list nodes"});

  SUBCASE("an incomplete rule list (a webhook authorizer's) answers nothing: every question is asked") {
    client.asked.clear();
    client.incomplete = true;
    client.allowed = true;
    auto asked_each = AskAccessAll(client, questions);
    REQUIRE(asked_each.ok());
    for (const AccessAnswer& answer : *asked_each) CHECK(answer.allowed);
    CHECK(client.asked.size() == 5);
  }
}

}  // namespace
}  // namespace llm::kube
