#include "workload/progress_printer.h"

#include <fmt/format.h>

namespace llm {
namespace {

// Cuts `line` to fit `columns - 1` characters (UTF-8 code points), so the
// cursor never reaches the last column, where terminals wrap differently.
std::string FitLine(std::string line, size_t columns) {
  if (columns < 2) return line;
  size_t limit = columns - 1;
  size_t count = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
    if (count++ == limit) {
      line.resize(i);
      break;
    }
  }
  return line;
}

}  // namespace

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
  for (const PodProgress& pod : pods) {
    frame += "\r\x1b[2K" + FitLine(DescribePodProgress(pod), terminal_.Columns()) + "\n";
  }
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
