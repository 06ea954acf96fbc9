// The CUDA program itself, where it is built (LLM_GPU_CHECK_BINARY): without
// a GPU it still starts, verifies that every catalog row has a registered
// class, and lists the rows. Comparing its --list with the catalog means a
// new check needs no edit here.
#ifdef LLM_GPU_CHECK_BINARY

#include <sys/wait.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "check_catalog.h"

namespace llm::gpu_check {
namespace {

struct ProgramRun {
  int exit_status = -1;
  std::string output;  ///< stdout and stderr together
};

ProgramRun RunGpuCheck(const std::string& args) {
  ProgramRun run;
  const std::string command = std::string("'") + LLM_GPU_CHECK_BINARY + "' " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) run.output.append(buffer, n);
  const int status = pclose(pipe);
  if (WIFEXITED(status)) run.exit_status = WEXITSTATUS(status);
  return run;
}

}  // namespace

TEST_CASE("llm-gpu-check --list prints every catalog row, in run order, once") {
  const ProgramRun run = RunGpuCheck("--list");
  CAPTURE(run.output);
  REQUIRE(run.exit_status == 0);
  std::vector<std::string> lines;
  std::istringstream in(run.output);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == AllChecks().size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const CheckSpec& row = AllChecks()[i];
    CAPTURE(lines[i]);
    REQUIRE(lines[i].starts_with(std::string(row.key) + " "));
    const std::size_t text = lines[i].find_first_not_of(' ', row.key.size());
    REQUIRE(text != std::string::npos);
    CHECK(lines[i].substr(text) == row.description);
  }
}

}  // namespace llm::gpu_check

#endif  // LLM_GPU_CHECK_BINARY
