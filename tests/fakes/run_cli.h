// RunCli: runs the whole CLI (RunRootCommand) with string streams, for unit
// tests that check exact output and exit codes.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "commands/root_command.h"

namespace llm::testing {

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

inline CliResult RunCli(const std::vector<std::string>& args) {
  std::istringstream in;
  std::ostringstream out, err;
  int code = RunRootCommand(args, IoStreams{in, out, err});
  return {code, out.str(), err.str()};
}

}  // namespace llm::testing
