// PlayPatch: a merge patch file (for --patch KIND/NAME=FILE) giving the pod
// template (spec.template of a Deployment or a Job) the annotation
// stage.kubectl-llm.test/play that kwok's Stages (tests/cluster/kwok/stages.yaml)
// act on: image-pull-failure, crash-loop, oom-killed, keep-running,
// slow-start, trial-metric. Removed when the test ends.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace llm::testing {

class PlayPatch {
 public:
  PlayPatch(const std::string& play, const std::string& test_name)
      : path_((std::filesystem::temp_directory_path() /
               ("play-" + test_name + "-" + play + "-" + std::to_string(::getpid()) + ".json"))
                  .string()) {
    std::ofstream(path_) << R"({"spec":{"template":{"metadata":{"annotations":{"stage.kubectl-llm.test/play":")" << play
                         << R"("}}}}})";
  }
  ~PlayPatch() { std::filesystem::remove(path_); }
  PlayPatch(const PlayPatch&) = delete;
  PlayPatch& operator=(const PlayPatch&) = delete;

  const std::string& path() const { return path_; }
  /// The --patch value for `kind_name` ("job/t").
  std::string For(const std::string& kind_name) const { return kind_name + "=" + path_; }

 private:
  std::string path_;
};

}  // namespace llm::testing
