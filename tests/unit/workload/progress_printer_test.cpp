#include "workload/progress_printer.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

class FakeTerminal final : public Terminal {
 public:
  explicit FakeTerminal(bool interactive, size_t columns = 0) : interactive_(interactive), columns_(columns) {}
  bool IsInteractive() const override { return interactive_; }
  size_t Columns() const override { return columns_; }
  void Write(std::string_view text) override { written += text; }
  std::string written;

 private:
  bool interactive_;
  size_t columns_;
};

PodProgress Pod(const char* name, const char* role, PodStage stage, const char* node = "") {
  PodProgress p;
  p.pod = name;
  p.role = role;
  p.stage = stage;
  p.node = node;
  return p;
}

TEST_CASE("the line printer writes one line per change, for CI logs") {
  FakeTerminal terminal(false);
  auto printer = NewProgressPrinter(terminal);
  printer->Update({Pod("chat-0", "leader", PodStage::kPending), Pod("chat-0-1", "worker", PodStage::kPending)});
  printer->Update(
      {Pod("chat-0", "leader", PodStage::kScheduled, "gpu-node-1"), Pod("chat-0-1", "worker", PodStage::kPending)});
  printer->Update(
      {Pod("chat-0", "leader", PodStage::kScheduled, "gpu-node-1"), Pod("chat-0-1", "worker", PodStage::kPending)});
  printer->Update({Pod("chat-0", "leader", PodStage::kReady, "gpu-node-1"),
                   Pod("chat-0-1", "worker", PodStage::kReady, "gpu-node-2")});
  CHECK(terminal.written ==
        "pod chat-0 (leader): Pending\n"
        "pod chat-0-1 (worker): Pending\n"
        "pod chat-0 (leader): Scheduled on gpu-node-1\n"
        "pod chat-0 (leader): Ready\n"
        "pod chat-0-1 (worker): Ready\n");
  CHECK(terminal.written.find('\x1b') == std::string::npos);
}

TEST_CASE("the TTY printer redraws its block in place") {
  FakeTerminal terminal(true);
  auto printer = NewProgressPrinter(terminal);
  printer->Update({Pod("chat-0", "leader", PodStage::kPending), Pod("chat-0-1", "worker", PodStage::kPending)});
  CHECK(terminal.written ==
        "\r\x1b[2Kpod chat-0 (leader): Pending\n"
        "\r\x1b[2Kpod chat-0-1 (worker): Pending\n");
  terminal.written.clear();
  printer->Update({Pod("chat-0", "leader", PodStage::kPending), Pod("chat-0-1", "worker", PodStage::kPending)});
  CHECK(terminal.written.empty());  // nothing changed: no flicker
  printer->Update(
      {Pod("chat-0", "leader", PodStage::kRunning, "gpu-node-1"), Pod("chat-0-1", "worker", PodStage::kPending)});
  CHECK(terminal.written ==
        "\x1b[2A"
        "\r\x1b[2Kpod chat-0 (leader): Running on gpu-node-1\n"
        "\r\x1b[2Kpod chat-0-1 (worker): Pending\n");
  terminal.written.clear();
  printer->Update({Pod("chat-0", "leader", PodStage::kReady)});
  CHECK(terminal.written ==
        "\x1b[2A"
        "\r\x1b[2Kpod chat-0 (leader): Ready\n"
        "\r\x1b[2K\n"
        "\x1b[1A");
  terminal.written.clear();
  printer->Update({Pod("chat-0", "leader", PodStage::kSucceeded)});
  CHECK(terminal.written == "\x1b[1A\r\x1b[2Kpod chat-0 (leader): Succeeded\n");
}

TEST_CASE("the TTY printer cuts lines to the terminal width, the line printer never does") {
  FakeTerminal narrow(true, 20);
  NewProgressPrinter(narrow)->Update({Pod("chat-0", "leader", PodStage::kScheduled, "gpu-node-1")});
  CHECK(narrow.written == "\r\x1b[2Kpod chat-0 (leader)\n");  // 19 characters
  FakeTerminal log(false, 20);
  NewProgressPrinter(log)->Update({Pod("chat-0", "leader", PodStage::kScheduled, "gpu-node-1")});
  CHECK(log.written == "pod chat-0 (leader): Scheduled on gpu-node-1\n");
}

}  // namespace
}  // namespace llm
