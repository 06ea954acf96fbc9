#include "output/progress_printer.h"

#include <fmt/format.h>

namespace llm {

void LineProgressPrinter::Update(const std::vector<PodProgress>& pods) {
  for (const PodProgress& pod : pods) {
    auto it = last_.find(pod.pod);
    if (it != last_.end() && it->second == pod) continue;
    terminal_.Write(DescribePodProgress(pod) + "\n");
    last_[pod.pod] = pod;
  }
}

void TtyProgressPrinter::Update(const std::vector<PodProgress>& pods) {
  if (drawn_once_ && pods == drawn_) return;
  std::string frame;
  if (!drawn_.empty()) frame += fmt::format("\x1b[{}A", drawn_.size());
  for (const PodProgress& pod : pods) frame += "\r\x1b[2K" + DescribePodProgress(pod) + "\n";
  if (drawn_.size() > pods.size()) {
    size_t extra = drawn_.size() - pods.size();
    for (size_t i = 0; i < extra; ++i) frame += "\r\x1b[2K\n";
    frame += fmt::format("\x1b[{}A", extra);  // the cursor ends below the new, shorter block
  }
  terminal_.Write(frame);
  drawn_ = pods;
  drawn_once_ = true;
}

std::unique_ptr<ProgressPrinter> NewProgressPrinter(Terminal& terminal) {
  if (terminal.IsInteractive()) return std::make_unique<TtyProgressPrinter>(terminal);
  return std::make_unique<LineProgressPrinter>(terminal);
}

}  // namespace llm
