#include "kube/self_subject_review.h"

#include <doctest/doctest.h>

#include "fakes/fake_rest_client.h"

namespace llm::kube {
namespace {

TEST_CASE("SelfSubjectReview: the user and groups of the answer") {
  const auto answer = nlohmann::json::parse(R"({"kind": "SelfSubjectReview", "status": {"userInfo": {
      "username": "system:serviceaccount:team-a:dev",
      "groups": ["system:serviceaccounts", "system:authenticated"]}}})");
  const UserIdentity who = ReadUserIdentity(answer);
  CHECK(who.username == "system:serviceaccount:team-a:dev");
  CHECK(who.groups == std::vector<std::string>{"system:serviceaccounts", "system:authenticated"});
  CHECK(ReadUserIdentity(nlohmann::json::object()).username.empty());
}

TEST_CASE("SelfSubjectReview: a refused review says what was asked") {
  testing::FakeRestClient client;
  client.FailNext("CREATE", testing::FakeRestClient::ErrorFromStatus(403, "Forbidden", "no"));
  auto who = WhoAmI(client);
  REQUIRE_FALSE(who.ok());
  CHECK(who.error().kind() == ErrorKind::kForbidden);
  CHECK(who.error().message().starts_with("asking the API server who you are (SelfSubjectReview)"));
  CHECK(client.calls().back() == "CREATE selfsubjectreviews.authentication.k8s.io");
}

}  // namespace
}  // namespace llm::kube
