#include "kube/access_review.h"

#include <algorithm>
#include <map>

#include "kube/object_fields.h"

namespace llm::kube {
namespace {

bool ListHas(const nlohmann::json& rule, const char* field, const std::string& value) {
  const nlohmann::json& list = ArrayAt(rule, {field});
  return std::any_of(list.begin(), list.end(),
                     [&](const nlohmann::json& item) { return item.is_string() && (item == "*" || item == value); });
}

bool ResourceMatches(const nlohmann::json& rule, const AccessQuestion& question) {
  const std::string combined =
      question.subresource.empty() ? question.resource : question.resource + "/" + question.subresource;
  const nlohmann::json& resources = ArrayAt(rule, {"resources"});
  return std::any_of(resources.begin(), resources.end(), [&](const nlohmann::json& item) {
    if (!item.is_string()) return false;
    const std::string& resource = item.get_ref<const std::string&>();
    return resource == "*" || resource == combined ||
           (!question.subresource.empty() && resource == "*/" + question.subresource);
  });
}

// The answers a SelfSubjectRulesReview in `ns` gives for certain: allowed for
// the questions its rules grant, nothing for the rest (nor for any when the
// review fails or says its list is incomplete).
std::map<size_t, AccessAnswer> GrantedByRules(RestClient& client, const std::string& ns,
                                              const std::vector<AccessQuestion>& questions) {
  std::map<size_t, AccessAnswer> granted;
  const PlannedRead review = RulesReviewRead(ns);
  auto answer = client.Create(review.ref, review.body, /*dry_run=*/false);
  if (!answer.ok() || BoolAt(*answer, {"status", "incomplete"})) return granted;
  const nlohmann::json& rules = ArrayAt(*answer, {"status", "resourceRules"});
  for (size_t i = 0; i < questions.size(); ++i) {
    if (questions[i].ns != ns) continue;
    if (std::any_of(rules.begin(), rules.end(),
                    [&](const nlohmann::json& rule) { return RuleGrants(rule, questions[i]); })) {
      granted[i] = AccessAnswer{true, ""};
    }
  }
  return granted;
}

}  // namespace

nlohmann::json AccessReviewBody(const AccessQuestion& q) {
  nlohmann::json attributes = {{"verb", q.verb}, {"group", q.group}, {"resource", q.resource}};
  if (!q.subresource.empty()) attributes["subresource"] = q.subresource;
  if (!q.ns.empty()) attributes["namespace"] = q.ns;
  return {{"apiVersion", "authorization.k8s.io/v1"},
          {"kind", "SelfSubjectAccessReview"},
          {"spec", {{"resourceAttributes", attributes}}}};
}

PlannedRead RulesReviewRead(const std::string& ns) {
  return PlannedRead::Review({"authorization.k8s.io", "v1", "selfsubjectrulesreviews", "", "", ""},
                             RulesReviewBody(ns));
}

nlohmann::json RulesReviewBody(const std::string& ns) {
  return {{"apiVersion", "authorization.k8s.io/v1"}, {"kind", "SelfSubjectRulesReview"}, {"spec", {{"namespace", ns}}}};
}

Result<AccessAnswer> AskAccess(RestClient& client, const AccessQuestion& question) {
  const ResourceRef reviews{"authorization.k8s.io", "v1", "selfsubjectaccessreviews", "", "", ""};
  LLM_ASSIGN_OR_RETURN(nlohmann::json answer, client.Create(reviews, AccessReviewBody(question), /*dry_run=*/false));
  return AccessAnswer{BoolAt(answer, {"status", "allowed"}), StringAt(answer, {"status", "reason"})};
}

bool RuleGrants(const nlohmann::json& rule, const AccessQuestion& question) {
  if (!rule.is_object() || !ArrayAt(rule, {"resourceNames"}).empty()) return false;
  return ListHas(rule, "verbs", question.verb) && ListHas(rule, "apiGroups", question.group) &&
         ResourceMatches(rule, question);
}

Result<std::vector<AccessAnswer>> AskAccessAll(RestClient& client, const std::vector<AccessQuestion>& questions) {
  std::map<size_t, AccessAnswer> answered;
  std::vector<std::string> namespaces;
  for (const AccessQuestion& question : questions) {
    if (!question.ns.empty() && std::find(namespaces.begin(), namespaces.end(), question.ns) == namespaces.end()) {
      namespaces.push_back(question.ns);
    }
  }
  for (const std::string& ns : namespaces) answered.merge(GrantedByRules(client, ns, questions));
  std::vector<AccessAnswer> answers;
  answers.reserve(questions.size());
  for (size_t i = 0; i < questions.size(); ++i) {
    if (auto found = answered.find(i); found != answered.end()) {
      answers.push_back(found->second);
      continue;
    }
    LLM_ASSIGN_OR_RETURN(AccessAnswer answer, AskAccess(client, questions[i]));
    answers.push_back(std::move(answer));
  }
  return answers;
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
