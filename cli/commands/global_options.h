// GlobalOptions: flags that every subcommand accepts, before or after its name.
#pragma once

namespace llm {

struct GlobalOptions {
  /// kubectl's -v: 6 logs requests, 8 logs bodies (secrets always redacted).
  int verbosity = 0;
};

}  // namespace llm
