// What `kubectl llm history` prints from a workload's revisions (their audit
// fields only: a metadata-only list never holds payloads).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "output/table_printer.h"
#include "workload/revision_record.h"

namespace llm {

/// Oldest first, as `helm history` lists; with max > 0 only the newest `max`.
std::vector<RevisionAudit> SortedHistory(std::vector<RevisionAudit> revisions, int max);

/// REVISION UPDATED STATUS OPERATION USER DIGEST DESCRIPTION; -o wide adds
/// STARTED, WAIT, CONTEXT, IMAGES and COMMAND. UPDATED is when it finished (when
/// it started while pending); USER shows "REAL as USER" under --as; DIGEST its
/// first 12 characters.
Table RevisionHistoryTable(const std::vector<RevisionAudit>& revisions);

/// -o wide's second table, from the live workload object's managedFields as
/// the API server recorded them: MANAGER OPERATION SUBRESOURCE TIME DRIFT.
/// DRIFT says "after revision N" for an entry of another manager than
/// `our_manager` that the server stamped later than the newest finished
/// revision N: a change made behind the plugin's back (kubectl edit, kubectl
/// scale). Status writes (subresource "status") are the controllers' own and
/// never drift.
Table FieldManagersTable(const nlohmann::json& live_object, const std::vector<RevisionAudit>& revisions,
                         const std::string& our_manager);

/// RevisionList (kubectl-llm.dev/v1alpha1):
///   {"apiVersion": "kubectl-llm.dev/v1alpha1", "kind": "RevisionList", "workload", "namespace",
///    "items": [{"revision", "status", "operation", "started", "finished", "user", "groups",
///               "realUser", "context", "server", "commandLine", "pluginVersion", "digest",
///               "images", "wait", "reason", "description"}]}
/// Keys in this order; strings "" when unknown; groups and images are arrays.
nlohmann::ordered_json RevisionListJson(const std::string& workload, const std::string& ns,
                                        const std::vector<RevisionAudit>& revisions);

}  // namespace llm
