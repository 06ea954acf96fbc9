// InterruptSignals: Ctrl-C (SIGINT) and SIGTERM turned into a value that a
// long-running command polls, so it can stop launching work, delete what it
// created and exit 128+signal, instead of dying with its objects left behind.
// A second signal while the first is being handled ends the process at once
// (the default action), for a user who does not want to wait for the clean-up.
#pragma once

#include <csignal>
#include <string>

namespace llm {

class InterruptSignals {
 public:
  /// Installs the handlers for SIGINT and SIGTERM, unless the signal was
  /// ignored (SIG_IGN) when the process started; at most one instance at a time.
  InterruptSignals();
  /// Restores the dispositions found at construction.
  ~InterruptSignals();
  InterruptSignals(const InterruptSignals&) = delete;
  InterruptSignals& operator=(const InterruptSignals&) = delete;

  /// 0 until a signal arrives, then the number of the first one.
  int received() const;

 private:
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
};

/// "SIGINT", "SIGTERM", else "signal N".
std::string SignalName(int signal);

/// The conventional exit code of a command stopped by `signal`: 128 + signal
/// (130 for SIGINT, 143 for SIGTERM), as shells report it.
inline int ExitCodeForSignal(int signal) { return 128 + signal; }

}  // namespace llm
