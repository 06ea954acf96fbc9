#include "kube/access_review.h"

#include "kube/object_fields.h"

namespace llm::kube {

nlohmann::json AccessReviewBody(const AccessQuestion& q) {
  nlohmann::json attributes = {{"verb", q.verb}, {"group", q.group}, {"resource", q.resource}};
  if (!q.subresource.empty()) attributes["subresource"] = q.subresource;
  if (!q.ns.empty()) attributes["namespace"] = q.ns;
  return {{"apiVersion", "authorization.k8s.io/v1"},
          {"kind", "SelfSubjectAccessReview"},
          {"spec", {{"resourceAttributes", attributes}}}};
}

nlohmann::json RulesReviewBody(const std::string& ns) {
  return {{"apiVersion", "authorization.k8s.io/v1"}, {"kind", "SelfSubjectRulesReview"}, {"spec", {{"namespace", ns}}}};
}

Result<AccessAnswer> AskAccess(RestClient& client, const AccessQuestion& question) {
  const ResourceRef reviews{"authorization.k8s.io", "v1", "selfsubjectaccessreviews", "", "", ""};
  LLM_ASSIGN_OR_RETURN(nlohmann::json answer, client.Create(reviews, AccessReviewBody(question), /*dry_run=*/false));
  return AccessAnswer{BoolAt(answer, {"status", "allowed"}), StringAt(answer, {"status", "reason"})};
}

nlohmann::json SubjectAccessReviewBody(const AccessQuestion& question, const AccessSubject& subject) {
  nlohmann::json body = AccessReviewBody(question);
  body["kind"] = "SubjectAccessReview";
  if (!subject.user.empty()) body["spec"]["user"] = subject.user;
  if (!subject.groups.empty()) body["spec"]["groups"] = subject.groups;
  return body;
}

Result<AccessAnswer> AskAccessFor(RestClient& client, const AccessQuestion& question, const AccessSubject& subject) {
  const ResourceRef reviews{"authorization.k8s.io", "v1", "subjectaccessreviews", "", "", ""};
  LLM_ASSIGN_OR_RETURN(nlohmann::json answer,
                       client.Create(reviews, SubjectAccessReviewBody(question, subject), /*dry_run=*/false));
  return AccessAnswer{BoolAt(answer, {"status", "allowed"}), StringAt(answer, {"status", "reason"})};
}

}  // namespace llm::kube
