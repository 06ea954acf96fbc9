// Terminal: where live progress goes. Behind an interface so tests check the
// exact bytes (ANSI sequences included) without a TTY.
#pragma once

#include <ostream>
#include <string_view>

namespace llm {

class Terminal {
 public:
  virtual ~Terminal() = default;
  /// True when the output is a TTY that understands ANSI cursor movement.
  virtual bool IsInteractive() const = 0;
  virtual void Write(std::string_view text) = 0;
};

/// A Terminal over a stream; `interactive` comes from IsTerminalFd at startup.
class StreamTerminal final : public Terminal {
 public:
  StreamTerminal(std::ostream& out, bool interactive) : out_(out), interactive_(interactive) {}
  bool IsInteractive() const override { return interactive_; }
  void Write(std::string_view text) override { out_ << text << std::flush; }

 private:
  std::ostream& out_;
  bool interactive_;
};

/// isatty(fd), and TERM is not "dumb" (`term` is $TERM, passed in so the
/// environment is read in one place).
bool IsTerminalFd(int fd, std::string_view term);

}  // namespace llm
