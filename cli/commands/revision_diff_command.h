// `kubectl llm diff NAME --revision A[..B]`: what changed between two recorded
// revisions of a workload (their objects as applied), or between revision A
// and the live objects. For the live side the server is asked what applying A
// would make of each object (a server-side dry run, the ApplySet's prune
// included, as `diff serve` does), so server defaults are never a difference;
// the diff reads from A to the live objects, as `helm diff revision` does.
// Exit codes are diff's: 0 none, 1 differences, 2 an error.
#pragma once

#include <string>

#include "commands/workload_apply_command.h"
#include "kube/config_flags.h"
#include "util/io_streams.h"
#include "util/result.h"

namespace llm {

struct RevisionDiffOptions {
  std::string name;
  std::string revision;  ///< --revision: "A" or "A..B"
  bool show_managed_fields = false;
  FieldOwnershipFlags ownership;
};

Status ValidateRevisionDiffOptions(const RevisionDiffOptions& options);

/// Prints the diff; `differences` tells whether there were any.
Status RunRevisionDiff(const RevisionDiffOptions& options, const kube::ConfigFlags& flags, IoStreams streams,
                       bool& differences);

}  // namespace llm
