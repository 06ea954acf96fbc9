#include "render/plugin_rbac.h"

#include <set>
#include <sstream>

#include <doctest/doctest.h>

#include "commands/doctor_command.h"

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

TEST_CASE("the plugin's RBAC refuses a namespace that is not a DNS-1123 label") {
  auto rbac = RenderPluginRbac(*EmbeddedTemplateSource(), "Team_B");
  REQUIRE_FALSE(rbac.ok());
  CHECK(rbac.error().kind() == ErrorKind::kUsage);
  CHECK(rbac.error().message().starts_with("-n/--namespace: 'Team_B' must be a DNS-1123 label"));
}

TEST_CASE("doctor --print-rbac prints the RBAC for -n without contacting a cluster") {
  kube::ConfigFlags flags;
  flags.ns = "ml";
  flags.kubeconfig = "/nonexistent/kubeconfig";  // never read: -n decides
  std::istringstream in;
  std::ostringstream out, err;
  Status printed = PrintPluginRbac(flags, IoStreams{in, out, err});
  REQUIRE_MESSAGE(printed.ok(), (printed.ok() ? "" : printed.error().message()));
  auto docs = ParseYamlDocuments(out.str(), "stdout");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 2);
  CHECK((*docs)[0]["metadata"]["namespace"] == "ml");
  CHECK((*docs)[1]["metadata"]["name"] == "kubectl-llm-node-reader");
}

}  // namespace
}  // namespace llm
