// Terminal: where live progress goes. Behind an interface so tests check the
// exact bytes (ANSI sequences included) without a TTY.
#pragma once

#include <cstddef>
#include <ostream>
#include <string_view>

namespace llm {

class Terminal {
 public:
  virtual ~Terminal() = default;
  /// True when the output is a TTY that understands ANSI cursor movement.
  virtual bool IsInteractive() const = 0;
  /// The width in columns, or 0 when unknown. Redrawn lines are cut to it:
  /// a line that wraps would break the cursor arithmetic of a redraw.
  virtual size_t Columns() const = 0;
  virtual void Write(std::string_view text) = 0;
};

/// A Terminal over a stream; `interactive` comes from IsTerminalFd at startup.
class StreamTerminal final : public Terminal {
 public:
  StreamTerminal(std::ostream& out, bool interactive, size_t columns = 0)
      : out_(out), interactive_(interactive), columns_(columns) {}
  bool IsInteractive() const override { return interactive_; }
  size_t Columns() const override { return columns_; }
  void Write(std::string_view text) override { out_ << text << std::flush; }

 private:
  std::ostream& out_;
  bool interactive_;
  size_t columns_;
};

/// isatty(fd), and TERM is not "dumb" (`term` is $TERM, passed in so the
/// environment is read in one place).
bool IsTerminalFd(int fd, std::string_view term);

/// The terminal's width from TIOCGWINSZ, 0 when `fd` is no terminal.
size_t TerminalColumns(int fd);

}  // namespace llm
