// Who the API server says the caller is (`kubectl auth whoami`): a
// SelfSubjectReview, answered from the credentials of the request itself, so
// it names the impersonated user under --as and the real one without it.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/rest_client.h"
#include "util/result.h"

namespace llm::kube {

struct UserIdentity {
  std::string username;
  std::vector<std::string> groups;
};

/// status.userInfo of a SelfSubjectReview answer.
UserIdentity ReadUserIdentity(const nlohmann::json& review);

/// One SelfSubjectReview (authentication.k8s.io/v1, every user may create one).
Result<UserIdentity> WhoAmI(RestClient& client);
/// The review WhoAmI sends, for Prefetch.
PlannedRead WhoAmIRead();

}  // namespace llm::kube
