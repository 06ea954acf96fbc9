#include "output/terminal.h"

#include <unistd.h>

#include <sstream>

#include <doctest/doctest.h>

namespace llm {
namespace {

TEST_CASE("a pipe is no terminal and has no width") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  CHECK_FALSE(IsTerminalFd(fds[1], "xterm-256color"));
  CHECK(TerminalColumns(fds[1]) == 0);
  close(fds[0]);
  close(fds[1]);
}

TEST_CASE("StreamTerminal writes through and reports what it was given") {
  std::ostringstream out;
  StreamTerminal terminal(out, true, 120);
  terminal.Write("pod chat-0: Ready\n");
  CHECK(out.str() == "pod chat-0: Ready\n");
  CHECK(terminal.IsInteractive());
  CHECK(terminal.Columns() == 120);
}

}  // namespace
}  // namespace llm
