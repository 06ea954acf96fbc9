// In-cluster config (client-go rest.InClusterConfig): a pod's service account
// token and CA, and the API server from KUBERNETES_SERVICE_HOST/PORT.
#pragma once

#include <string>

#include "kube/client_config.h"
#include "util/environment.h"
#include "util/result.h"

namespace llm::kube {

/// Both service variables are set and the token file exists.
bool InClusterPossible(const Getenv& env, const std::string& service_account_dir);

/// The token is referenced as a file so a rotated projected token is re-read.
/// Namespace: $POD_NAMESPACE, else the service account's namespace file, else "default".
Result<ClientConfig> InClusterClientConfig(const Getenv& env, const std::string& service_account_dir);

}  // namespace llm::kube
