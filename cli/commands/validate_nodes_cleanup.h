// The clean-up of one validate-nodes run: the Jobs, pods and Services its
// label names, then the namespace when the run made it.
#pragma once

#include <string>

#include "kube/rest_client.h"
#include "util/result.h"

namespace llm {

/// How many times the clean-up asks for one collection's deletion when the API
/// server runs out of its request timeout: it deletes a collection's items one
/// after another, and those deleted before the timeout stay deleted, so each
/// retry has fewer left.
inline constexpr int kCleanupAttempts = 3;

/// Deletes this run's Jobs (their pods by propagation), pods and Services (a
/// deletecollection each; the pods of `pod_batches` batches a batch per
/// request, the last one with whatever else the run left), and the namespace
/// when the run made it. Jobs go first so that none replaces a pod deleted here.
Status CleanUpValidationRun(kube::RestClient& client, const std::string& ns, const std::string& run_id,
                            bool namespace_created, int pod_batches);

}  // namespace llm
