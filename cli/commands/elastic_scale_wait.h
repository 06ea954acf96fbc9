// `kubectl llm scale NAME --nodes K --wait`: follows an elastic training job
// to its new size. One line per pod change, one per rendezvous round that
// torchrun's agent on index 0 (the pod that hosts the store, which a scale
// never removes) logs after the scale; done when the K lowest indexes run
// and the pods above them are gone. A new pod that cannot be placed ends the
// wait at once with why, in one sentence (ResourceQuota, Kueue, the scheduler,
// an image, a crash: workload/stall_diagnosis.h), instead of waiting for the
// timeout; a node autoscaler adding a node is said once and waited for.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "commands/workload_wait.h"
#include "kube/rest_client.h"
#include "output/terminal.h"
#include "util/clock.h"
#include "util/result.h"

namespace llm {

struct ElasticScaleWaitRequest {
  kube::ResourceRef job;      ///< the Job or JobSet, ns and name set
  std::string what;           ///< how the lines name it, as scale did ("job.batch/t")
  std::string instance;       ///< app.kubernetes.io/instance of its pods
  int64_t nodes = 1;          ///< K
  int64_t max_restarts = -1;  ///< torchrun's --max-restarts, for the round lines; -1 unknown
  std::chrono::seconds timeout{600};
  std::chrono::milliseconds poll{1000};
};

/// kFailed when a new pod cannot be placed or run, or the job failed;
/// kTimedOut at the timeout. The error's message is the one sentence.
Status WaitForElasticScale(kube::RestClient& client, Clock& clock, const ElasticScaleWaitRequest& request,
                           Terminal& terminal, WaitFailure& failure);

}  // namespace llm
