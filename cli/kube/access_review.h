// Asking the API server what the caller may do, as `kubectl auth can-i` does:
// a SelfSubjectAccessReview for one verb on one resource, and a
// SelfSubjectRulesReview for every rule in a namespace. Preflight, doctor,
// tenant verify and the endpoint test ask through here.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/rest_client.h"
#include "util/result.h"

namespace llm::kube {

struct AccessQuestion {
  std::string verb;
  std::string group;
  std::string resource;
  std::string subresource;
  std::string ns;  ///< "" for cluster-scoped
};

struct AccessAnswer {
  bool allowed = false;
  std::string reason;  ///< the authorizer's reason, when it gave one
};

/// The SelfSubjectAccessReview body.
nlohmann::json AccessReviewBody(const AccessQuestion& question);
/// The SelfSubjectRulesReview body: every rule that applies in `ns`.
nlohmann::json RulesReviewBody(const std::string& ns);
/// The SelfSubjectRulesReview AskAccessAll sends first for `ns`, for Prefetch.
PlannedRead RulesReviewRead(const std::string& ns);

/// One SelfSubjectAccessReview.
Result<AccessAnswer> AskAccess(RestClient& client, const AccessQuestion& question);

/// Whether one resource rule of a SelfSubjectRulesReview grants `question` for
/// any object name, matched as RBAC matches (k8s pkg/apis/rbac/v1
/// evaluation_helpers.go): verb and group exactly or "*"; resource "*", the
/// exact "resource/subresource", or "*/subresource". A rule limited to
/// resourceNames grants no question, which names none.
bool RuleGrants(const nlohmann::json& rule, const AccessQuestion& question);

/// Every question answered, in order, in as few requests as the authorizer
/// allows: one SelfSubjectRulesReview per namespace answers what its rules
/// grant; a SelfSubjectAccessReview decides each question left (cluster-scoped
/// ones, ones no rule grants, and all of a namespace whose rule list is
/// incomplete, as a webhook authorizer's is), so a denial always comes from
/// the authority and carries its reason.
Result<std::vector<AccessAnswer>> AskAccessAll(RestClient& client, const std::vector<AccessQuestion>& questions);

/// Someone else, as the API server would authenticate them.
struct AccessSubject {
  std::string user;  ///< "" for a group alone
  std::vector<std::string> groups;
};
/// The SubjectAccessReview body: may `subject` do it?
nlohmann::json SubjectAccessReviewBody(const AccessQuestion& question, const AccessSubject& subject);
/// One SubjectAccessReview (the caller needs create on subjectaccessreviews).
Result<AccessAnswer> AskAccessFor(RestClient& client, const AccessQuestion& question, const AccessSubject& subject);

}  // namespace llm::kube
