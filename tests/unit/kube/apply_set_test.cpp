#include "kube/apply_set.h"

#include <doctest/doctest.h>

namespace llm::kube {
namespace {
using nlohmann::json;

TEST_CASE("the ApplySet id is kubectl's") {
  // kubectl's own test (pkg/cmd/apply/apply_test.go): Secret "my-set" in "test".
  CHECK(ApplySetId("my-set", "test", "Secret", "") == "applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1");
  // URL-safe alphabet, no padding, and a label value (at most 63 characters).
  for (const std::string name : {"a", "chat", "llama-70b-serving", "x.y"}) {
    const std::string id = ApplySetId(name, "default", "Secret", "");
    CHECK(id.size() == 9 + 43 + 3);
    CHECK(id.find_first_of("+/=") == std::string::npos);
  }
  CHECK(ApplySetId("a", "b", "Secret", "") != ApplySetId("a", "b", "ConfigMap", ""));
}

TEST_CASE("group-kinds and namespaces annotations are sorted lists") {
  std::set<GroupKind> kinds = {
      {"apps", "Deployment"}, {"", "Service"}, {"leaderworkerset.x-k8s.io", "LeaderWorkerSet"}, {"", "ConfigMap"}};
  const std::string value = FormatGroupKinds(kinds);
  CHECK(value == "ConfigMap,Deployment.apps,LeaderWorkerSet.leaderworkerset.x-k8s.io,Service");
  auto parsed = ParseGroupKinds(value);
  REQUIRE(parsed.ok());
  CHECK(*parsed == kinds);
  CHECK(ParseGroupKinds("")->empty());
  CHECK_FALSE(ParseGroupKinds("Deployment.").ok());
  CHECK(FormatNamespaces({"b", "a"}) == "a,b");
  CHECK(ParseNamespaces("a,b") == std::set<std::string>{"a", "b"});
}

json Parent(const json& labels, const json& annotations) {
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"metadata", {{"name", "chat"}, {"namespace", "ml"}, {"labels", labels}, {"annotations", annotations}}}};
}

TEST_CASE("a live parent is checked before it is touched") {
  const std::string id = ApplySetId("chat", "ml", "Secret", "");
  struct Row {
    const char* name;
    json parent;
    std::string error;  // "" when accepted
  };
  const std::vector<Row> rows = {
      {"ours",
       Parent({{kApplySetIdLabel, id}}, {{kApplySetToolingAnnotation, "kubectl-llm/v0.0.9"},
                                         {kApplySetGroupKindsAnnotation, "Deployment.apps,Service"},
                                         {kApplySetNamespacesAnnotation, "other"}}),
       ""},
      {"not an applyset", Parent(json::object(), json::object()),
       R"(ApplySet parent object "secrets/chat" exists and does not have required label applyset.kubernetes.io/id)"},
      {"another id", Parent({{kApplySetIdLabel, "applyset-x-v1"}}, json::object()),
       "ApplySet parent object \"secrets/chat\" exists and has incorrect value for label applyset.kubernetes.io/id "
       "(got: applyset-x-v1, want: " +
           std::string(id) + ")"},
      {"no tooling", Parent({{kApplySetIdLabel, id}}, json::object()),
       R"(ApplySet parent object "secrets/chat" already exists and is missing required annotation applyset.kubernetes.io/tooling)"},
      {"kubectl's", Parent({{kApplySetIdLabel, id}}, {{kApplySetToolingAnnotation, "kubectl/v1.35.0"}}),
       R"(ApplySet parent object "secrets/chat" already exists and is managed by tooling "kubectl/v1.35.0" instead of "kubectl-llm")"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    auto state = ReadParent(row.parent, id);
    if (row.error.empty()) {
      REQUIRE(state.ok());
      CHECK(state->group_kinds == std::set<GroupKind>{{"apps", "Deployment"}, {"", "Service"}});
      CHECK(state->additional_namespaces == std::set<std::string>{"other"});
    } else {
      REQUIRE_FALSE(state.ok());
      CHECK(state.error().kind() == ErrorKind::kConflict);
      CHECK(state.error().message() == row.error);
    }
  }
}

TEST_CASE("the parent secret carries the id label and the annotations") {
  ApplySetParentState state{{{"apps", "Deployment"}, {"", "Service"}}, {}, std::nullopt};
  json parent = BuildParentSecret("chat", "ml", "kubectl-llm/v0.1.0", state);
  CHECK(parent["metadata"]["labels"][kApplySetIdLabel] == ApplySetId("chat", "ml", "Secret", ""));
  CHECK(parent["metadata"]["annotations"][kApplySetToolingAnnotation] == "kubectl-llm/v0.1.0");
  CHECK(parent["metadata"]["annotations"][kApplySetGroupKindsAnnotation] == "Deployment.apps,Service");
  CHECK_FALSE(parent["metadata"]["annotations"].contains(kApplySetNamespacesAnnotation));
  state.additional_namespaces = {"b", "a"};
  parent = BuildParentSecret("chat", "ml", "kubectl-llm/v0.1.0", state);
  CHECK(parent["metadata"]["annotations"][kApplySetNamespacesAnnotation] == "a,b");
  CHECK(ApplySetTooling("0.1.0") == "kubectl-llm/v0.1.0");
  // The build's version already starts with "v": one "v", never two.
  CHECK(ApplySetTooling("v0.1.0") == "kubectl-llm/v0.1.0");
}

TEST_CASE("member records: keys, digests, and the annotation read back") {
  CHECK(MemberKey({"apps", "Deployment"}, "ml", "chat") == "Deployment.apps/ml/chat");
  CHECK(MemberKey({"", "Namespace"}, "", "ml") == "Namespace//ml");
  CHECK(MemberKeyGroupKind("Deployment.apps/ml/chat") == GroupKind{"apps", "Deployment"});
  CHECK(MemberKeyGroupKind("LeaderWorkerSet.leaderworkerset.x-k8s.io/ml/chat") ==
        GroupKind{"leaderworkerset.x-k8s.io", "LeaderWorkerSet"});
  CHECK(MemberKeyGroupKind("Namespace//ml") == GroupKind{"", "Namespace"});
  CHECK_FALSE(MemberKeyGroupKind("Deployment.apps").has_value());
  CHECK_FALSE(MemberKeyGroupKind("/ml/chat").has_value());

  const json a = {{"kind", "Service"}, {"metadata", {{"name", "a"}}}};
  const json a_reordered = json::parse(R"({"metadata":{"name":"a"},"kind":"Service"})");
  CHECK(ManifestDigest(a) == ManifestDigest(a_reordered));
  CHECK(ManifestDigest(a).size() == 22);
  CHECK(ManifestDigest(a) != ManifestDigest({{"kind", "Service"}, {"metadata", {{"name", "b"}}}}));

  const std::string id = ApplySetId("chat", "ml", "Secret", "");
  ApplySetParentState state{{{"apps", "Deployment"}}, {}, MemberRecords{}};
  (*state.members)["Deployment.apps/ml/chat"] = {"abc", "2026-11-28T12:00:05Z"};
  (*state.members)["Service/ml/chat"] = {"def", ""};
  json parent = BuildParentSecret("chat", "ml", "kubectl-llm/v0.1.0", state);
  CHECK(parent["metadata"]["annotations"][kApplySetMembersAnnotation] ==
        R"({"Deployment.apps/ml/chat":{"applied":"2026-11-28T12:00:05Z","digest":"abc"},)"
        R"("Service/ml/chat":{"applied":"","digest":"def"}})");
  auto read = ReadParent(parent, id);
  REQUIRE(read.ok());
  CHECK(*read == state);

  SUBCASE("a parent without the annotation records no members") {
    parent["metadata"]["annotations"].erase(kApplySetMembersAnnotation);
    CHECK_FALSE(ReadParent(parent, id)->members.has_value());
  }
  SUBCASE("a damaged annotation counts as absent") {
    for (const char* damaged :
         {"not json", "[]", R"({"Deployment.apps/ml/chat":"x"})", R"({"bad":{"digest":"a","applied":""}})"}) {
      CAPTURE(damaged);
      parent["metadata"]["annotations"][kApplySetMembersAnnotation] = damaged;
      auto again = ReadParent(parent, id);
      REQUIRE(again.ok());
      CHECK_FALSE(again->members.has_value());
    }
  }
  SUBCASE("no record, no annotation") {
    state.members.reset();
    CHECK_FALSE(BuildParentSecret("chat", "ml", "kubectl-llm/v0.1.0", state)["metadata"]["annotations"].contains(
        kApplySetMembersAnnotation));
  }
}

TEST_CASE("members get the part-of label, a member of another set is refused") {
  json object = {{"kind", "Service"}, {"metadata", {{"name", "svc"}}}};
  REQUIRE(LabelMember(object, "applyset-a-v1").ok());
  CHECK(object["metadata"]["labels"][kApplySetPartOfLabel] == "applyset-a-v1");
  CHECK(LabelMember(object, "applyset-a-v1").ok());
  Status other = LabelMember(object, "applyset-b-v1");
  REQUIRE_FALSE(other.ok());
  CHECK(
      other.error().message() ==
      R"(Service "svc" already has label applyset.kubernetes.io/part-of=applyset-a-v1: it belongs to another ApplySet)");
}

TEST_CASE("prune candidates: listed members not applied in this run") {
  auto member = [](const std::string& name, const std::string& uid, const std::string& part_of) {
    return json{{"metadata", {{"name", name}, {"uid", uid}, {"labels", {{kApplySetPartOfLabel, part_of}}}}}};
  };
  json terminating = member("going", "u5", "set");
  terminating["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  std::vector<json> listed = {member("kept", "u1", "set"), member("dropped", "u2", "set"),
                              member("foreign", "u3", "other-set"), terminating};
  auto prunable = SelectPrunable(listed, "set", {"u1"});
  REQUIRE(prunable.size() == 1);
  CHECK(prunable[0]["metadata"]["name"] == "dropped");
  CHECK(SelectPrunable(listed, "set", {"u1", "u2"}).empty());
}

}  // namespace
}  // namespace llm::kube
