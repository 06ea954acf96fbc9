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

PlannedRead WhoAmIRead() {
  return PlannedRead::Review({"authentication.k8s.io", "v1", "selfsubjectreviews", "", "", ""},
                             {{"apiVersion", "authentication.k8s.io/v1"}, {"kind", "SelfSubjectReview"}});
}

Result<UserIdentity> WhoAmI(RestClient& client) {
  const PlannedRead review = WhoAmIRead();
  Result<nlohmann::json> answer = client.Create(review.ref, review.body, /*dry_run=*/false);
  if (!answer.ok()) return answer.error().WithContext("asking the API server who you are (SelfSubjectReview)");
  return ReadUserIdentity(*answer);
}

}  // namespace llm::kube
