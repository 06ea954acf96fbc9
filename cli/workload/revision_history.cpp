#include "workload/revision_history.h"

#include <algorithm>

#include "kube/object_fields.h"
#include "util/rfc3339.h"

namespace llm {

std::vector<RevisionAudit> SortedHistory(std::vector<RevisionAudit> revisions, int max) {
  std::sort(revisions.begin(), revisions.end(),
            [](const RevisionAudit& a, const RevisionAudit& b) { return a.number < b.number; });
  if (max > 0 && revisions.size() > static_cast<size_t>(max)) {
    revisions.erase(revisions.begin(), revisions.end() - max);
  }
  return revisions;
}

Table RevisionHistoryTable(const std::vector<RevisionAudit>& revisions) {
  Table table({{"REVISION"},
               {"UPDATED"},
               {"STATUS"},
               {"OPERATION"},
               {"USER"},
               {"DIGEST"},
               {"DESCRIPTION"},
               {"STARTED", true},
               {"WAIT", true},
               {"CONTEXT", true},
               {"IMAGES", true},
               {"COMMAND", true}});
  auto or_none = [](const std::string& text) { return text.empty() ? std::string("<none>") : text; };
  for (const RevisionAudit& r : revisions) {
    std::string images;
    for (const std::string& image : r.images) images += (images.empty() ? "" : ",") + image;
    table.AddRow({std::to_string(r.number), or_none(r.finished.empty() ? r.started : r.finished),
                  std::string(RevisionStatusName(r.status)), or_none(r.operation),
                  or_none(r.real_user.empty() ? r.user : r.real_user + " as " + r.user),
                  or_none(r.digest.substr(0, 12)), or_none(r.description), or_none(r.started), or_none(r.wait_outcome),
                  or_none(r.context), or_none(images), or_none(r.command_line)});
  }
  return table;
}

Table FieldManagersTable(const nlohmann::json& live_object, const std::vector<RevisionAudit>& revisions,
                         const std::string& our_manager) {
  const RevisionAudit* newest = nullptr;
  for (const RevisionAudit& r : revisions) {
    if (!r.finished.empty() && (!newest || r.number > newest->number)) newest = &r;
  }
  const auto since = newest ? ParseRfc3339(newest->finished) : std::nullopt;
  Table table({{"MANAGER"}, {"OPERATION"}, {"SUBRESOURCE"}, {"TIME"}, {"DRIFT"}});
  for (const nlohmann::json& entry : ArrayAt(live_object, {"metadata", "managedFields"})) {
    const std::string manager = StringAt(entry, {"manager"});
    const std::string subresource = StringAt(entry, {"subresource"});
    const std::string time = StringAt(entry, {"time"});
    const auto when = ParseRfc3339(time);
    std::string drift;
    if (since && when && *when > *since && manager != our_manager && subresource != "status") {
      drift = "after revision " + std::to_string(newest->number);
    }
    table.AddRow({manager, StringAt(entry, {"operation"}), subresource.empty() ? "<none>" : subresource,
                  time.empty() ? "<none>" : time, drift.empty() ? "<none>" : drift});
  }
  return table;
}

nlohmann::ordered_json RevisionListJson(const std::string& workload, const std::string& ns,
                                        const std::vector<RevisionAudit>& revisions) {
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const RevisionAudit& r : revisions) {
    items.push_back({{"revision", r.number},
                     {"status", RevisionStatusName(r.status)},
                     {"operation", r.operation},
                     {"started", r.started},
                     {"finished", r.finished},
                     {"user", r.user},
                     {"groups", r.groups},
                     {"realUser", r.real_user},
                     {"context", r.context},
                     {"server", r.server},
                     {"commandLine", r.command_line},
                     {"pluginVersion", r.plugin_version},
                     {"digest", r.digest},
                     {"images", r.images},
                     {"wait", r.wait_outcome},
                     {"reason", r.reason},
                     {"description", r.description}});
  }
  return {{"apiVersion", "kubectl-llm.dev/v1alpha1"},
          {"kind", "RevisionList"},
          {"workload", workload},
          {"namespace", ns},
          {"items", items}};
}

}  // namespace llm
