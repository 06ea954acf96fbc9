#include "kube/self_subject_review.h"

#include "kube/object_fields.h"

namespace llm::kube {

UserIdentity ReadUserIdentity(const nlohmann::json& review) {
  UserIdentity identity;
  identity.username = StringAt(review, {"status", "userInfo", "username"});
  for (const nlohmann::json& group : ArrayAt(review, {"status", "userInfo", "groups"})) {
    if (group.is_string()) identity.groups.push_back(group.get<std::string>());
  }
  return identity;
}

Result<UserIdentity> WhoAmI(RestClient& client) {
  const ResourceRef reviews{"authentication.k8s.io", "v1", "selfsubjectreviews", "", "", ""};
  const nlohmann::json body = {{"apiVersion", "authentication.k8s.io/v1"}, {"kind", "SelfSubjectReview"}};
  Result<nlohmann::json> answer = client.Create(reviews, body, /*dry_run=*/false);
  if (!answer.ok()) return answer.error().WithContext("asking the API server who you are (SelfSubjectReview)");
  return ReadUserIdentity(*answer);
}

}  // namespace llm::kube
