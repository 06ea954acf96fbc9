#include "render/plugin_rbac.h"

#include <regex>
#include <set>

#include <doctest/doctest.h>

namespace llm {
namespace {

/// "group resource verb" for every rule of a Role or ClusterRole.
std::set<std::string> Grants(const Json& role) {
  std::set<std::string> out;
  for (const Json& rule : role["rules"]) {
    for (const Json& group : rule["apiGroups"]) {
      for (const Json& resource : rule["resources"]) {
        for (const Json& verb : rule["verbs"]) {
          out.insert(group.get<std::string>() + " " + resource.get<std::string>() + " " + verb.get<std::string>());
        }
      }
    }
  }
  return out;
}

TEST_CASE("the plugin's RBAC: a Role in the namespace asked for, and a read-only ClusterRole") {
  auto rbac = RenderPluginRbac(*EmbeddedTemplateSource(), "team-b");
  REQUIRE_MESSAGE(rbac.ok(), (rbac.ok() ? "" : rbac.error().message()));
  REQUIRE(rbac->size() == 2);
  const Json& role = (*rbac)[0];
  CHECK(role["kind"] == "Role");
  CHECK(role["metadata"]["name"] == "kubectl-llm-user");
  CHECK(role["metadata"]["namespace"] == "team-b");
  CHECK(role["rules"][0]["resourceNames"] == Json::array({"team-b"}));
  std::set<std::string> grants = Grants(role);
  // What the lifecycle writes, and the ApplySet record.
  for (const char* needed : {"apps deployments patch", "apps deployments create", "apps deployments delete",
                             " secrets patch", " services patch", "batch jobs create", " pods/log get",
                             "apps deployments/scale patch", "leaderworkerset.x-k8s.io leaderworkersets patch"}) {
    CHECK_MESSAGE(grants.count(needed) == 1, needed);
  }
  // Least privilege: no pod writes, no wildcard, nothing cluster-wide.
  for (const std::string& grant : grants) {
    CHECK_MESSAGE(grant.find('*') == std::string::npos, grant);
    CHECK_MESSAGE(!(grant.starts_with(" pods ") && !grant.ends_with(" get") && !grant.ends_with(" list") &&
                    !grant.ends_with(" watch")),
                  grant);
  }
  const Json& cluster_role = (*rbac)[1];
  CHECK(cluster_role["kind"] == "ClusterRole");
  for (const std::string& grant : Grants(cluster_role)) {
    CHECK_MESSAGE((grant.ends_with(" get") || grant.ends_with(" list") || grant.ends_with(" watch")), grant);
  }
}

TEST_CASE("the least-privilege Role has one home, which takes only a name and a namespace") {
  auto role = RenderPluginRole(*EmbeddedTemplateSource(), "members", "team-a");
  REQUIRE_MESSAGE(role.ok(), (role.ok() ? "" : role.error().message()));
  CHECK((*role)["kind"] == "Role");
  CHECK((*role)["metadata"]["name"] == "members");
  CHECK((*role)["metadata"]["namespace"] == "team-a");
  // tests/cluster/up.sh fills the template in with sed: it must hold no other tag.
  auto text = EmbeddedTemplateSource()->Read("rbac/kubectl-llm-user.yaml.mustache");
  REQUIRE(text.ok());
  std::set<std::string> tags;
  const std::regex tag(R"(\{\{[^}]*\}\})");
  for (auto it = std::sregex_iterator(text->begin(), text->end(), tag); it != std::sregex_iterator(); ++it) {
    tags.insert(it->str());
  }
  CHECK(tags == std::set<std::string>{"{{name}}", "{{namespace}}"});
  // Never any RBAC write.
  for (const Json& rule : (*role)["rules"]) {
    for (const Json& group : rule["apiGroups"]) CHECK(group != "rbac.authorization.k8s.io");
  }
}

TEST_CASE("the plugin's RBAC refuses a namespace that is not a DNS-1123 label") {
  auto rbac = RenderPluginRbac(*EmbeddedTemplateSource(), "Team_B");
  REQUIRE_FALSE(rbac.ok());
  CHECK(rbac.error().kind() == ErrorKind::kUsage);
  CHECK(rbac.error().message().starts_with("-n/--namespace: 'Team_B' must be a DNS-1123 label"));
}

}  // namespace
}  // namespace llm
