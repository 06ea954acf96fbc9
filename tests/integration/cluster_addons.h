// The test cluster's add-ons that tests start on demand (tests/cluster/*.sh):
// each runs once for the cluster, whichever test asks first.
#pragma once

#include <string>

namespace llm::testing {

/// Prometheus (prometheus.sh), scraping the serving pods as serve --monitor's
/// PodMonitor selects them; returns its URL (http://127.0.0.1:PORT).
std::string StartPrometheus();

/// The KEDA operator (keda.sh), reconciling every namespace's ScaledObjects.
void StartKeda();

}  // namespace llm::testing
