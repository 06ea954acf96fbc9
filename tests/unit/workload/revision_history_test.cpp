#include "workload/revision_history.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

RevisionAudit Row(int number, RevisionStatus status, const std::string& user) {
  RevisionAudit a;
  a.workload = "chat";
  a.number = number;
  a.status = status;
  a.operation = "serve";
  a.user = user;
  a.started = "2026-12-04T10:0" + std::to_string(number) + ":00Z";
  a.finished = status == RevisionStatus::kPending ? "" : "2026-12-04T10:0" + std::to_string(number) + ":30Z";
  a.digest = "abcdefghijklmnopqrstuv";
  a.description = "Serve complete";
  return a;
}

TEST_CASE("revision history: oldest first, --max keeps the newest") {
  std::vector<RevisionAudit> rows = {Row(3, RevisionStatus::kDeployed, "dev"), Row(1, RevisionStatus::kSuperseded, "a"),
                                     Row(2, RevisionStatus::kFailed, "a")};
  auto all = SortedHistory(rows, 0);
  REQUIRE(all.size() == 3);
  CHECK(all[0].number == 1);
  CHECK(all[2].number == 3);
  auto newest = SortedHistory(rows, 2);
  REQUIRE(newest.size() == 2);
  CHECK(newest[0].number == 2);
  CHECK(newest[1].number == 3);
}

TEST_CASE("revision history: the table as helm history lays it out, -o wide adds the audit columns") {
  RevisionAudit impersonated = Row(2, RevisionStatus::kPending, "dev");
  impersonated.real_user = "admin";
  impersonated.description = "";
  const Table table = RevisionHistoryTable({Row(1, RevisionStatus::kDeployed, "admin"), impersonated});
  CHECK(table.Render(false) ==
        "REVISION   UPDATED                STATUS     OPERATION   USER           DIGEST         DESCRIPTION\n"
        "1          2026-12-04T10:01:30Z   deployed   serve       admin          abcdefghijkl   Serve complete\n"
        "2          2026-12-04T10:02:00Z   pending    serve       admin as dev   abcdefghijkl   <none>\n");
  CHECK(
      table.Render(true).starts_with("REVISION   UPDATED                STATUS     OPERATION   USER           DIGEST "
                                     "        DESCRIPTION      STARTED                WAIT     CONTEXT   IMAGES   "
                                     "COMMAND\n"));
}

TEST_CASE("revision history: RevisionList keys in the documented order") {
  RevisionAudit a = Row(1, RevisionStatus::kDeployed, "admin");
  a.groups = {"system:masters"};
  a.images = {"vllm:1"};
  const auto list = RevisionListJson("chat", "ml", {a});
  CHECK(list["kind"] == "RevisionList");
  CHECK(list["apiVersion"] == "kubectl-llm.dev/v1alpha1");
  CHECK(list["workload"] == "chat");
  CHECK(list["namespace"] == "ml");
  std::vector<std::string> keys;
  for (const auto& [key, value] : list["items"][0].items()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"revision", "status", "operation", "started", "finished", "user", "groups",
                                         "realUser", "context", "server", "commandLine", "pluginVersion", "digest",
                                         "images", "wait", "reason", "description"});
  CHECK(list["items"][0]["groups"] == nlohmann::ordered_json{"system:masters"});
  CHECK(list["items"][0]["status"] == "deployed");
}

TEST_CASE("revision history: field managers stamped after the newest revision by someone else are drift") {
  const nlohmann::json live = nlohmann::json::parse(R"({"metadata": {"managedFields": [
    {"manager": "kubectl-llm", "operation": "Apply", "time": "2026-12-04T10:03:10Z"},
    {"manager": "kube-controller-manager", "operation": "Update", "subresource": "status", "time": "2026-12-04T10:09:00Z"},
    {"manager": "kubectl-edit", "operation": "Update", "time": "2026-12-04T10:08:00Z"},
    {"manager": "kubectl", "operation": "Update", "subresource": "scale", "time": "2026-12-04T10:01:00Z"}]}})");
  const std::vector<RevisionAudit> revisions = {Row(2, RevisionStatus::kSuperseded, "a"),
                                                Row(3, RevisionStatus::kDeployed, "a")};
  CHECK(FieldManagersTable(live, revisions, "kubectl-llm").Render(false) ==
        "MANAGER                   OPERATION   SUBRESOURCE   TIME                   DRIFT\n"
        "kubectl-llm               Apply       <none>        2026-12-04T10:03:10Z   <none>\n"
        "kube-controller-manager   Update      status        2026-12-04T10:09:00Z   <none>\n"
        "kubectl-edit              Update      <none>        2026-12-04T10:08:00Z   after revision 3\n"
        "kubectl                   Update      scale         2026-12-04T10:01:00Z   <none>\n");
}

}  // namespace
}  // namespace llm
