// Live progress of a workload's pods. Two renderings of the same updates:
// on a TTY one line per pod, redrawn in place with ANSI cursor movement; in CI
// logs (no TTY) one line per change and never a control character.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "output/terminal.h"
#include "workload/pod_progress.h"

namespace llm {

class ProgressPrinter {
 public:
  virtual ~ProgressPrinter() = default;
  /// The current state of every pod, in display order.
  virtual void Update(const std::vector<PodProgress>& pods) = 0;
};

/// Prints DescribePodProgress for each pod whose state differs from what it
/// printed last for that pod.
class LineProgressPrinter final : public ProgressPrinter {
 public:
  explicit LineProgressPrinter(Terminal& terminal) : terminal_(terminal) {}
  void Update(const std::vector<PodProgress>& pods) override;

 private:
  Terminal& terminal_;
  std::map<std::string, PodProgress> last_;
};

/// Redraws the block of pod lines: cursor up over the previous block, each
/// line cleared ("\r\x1b[2K") and rewritten; lines of pods that went away are
/// cleared; lines are cut to the terminal width so none wraps. Nothing is
/// written when nothing changed.
class TtyProgressPrinter final : public ProgressPrinter {
 public:
  explicit TtyProgressPrinter(Terminal& terminal) : terminal_(terminal) {}
  void Update(const std::vector<PodProgress>& pods) override;

 private:
  Terminal& terminal_;
  std::vector<PodProgress> drawn_;
  bool drawn_once_ = false;
};

/// The TTY printer when the terminal is interactive, else the line printer.
std::unique_ptr<ProgressPrinter> NewProgressPrinter(Terminal& terminal);

}  // namespace llm
