#include "util/interrupt_signals.h"

#include <atomic>
#include <csignal>

#include <fmt/format.h>

namespace llm {
namespace {

// The one mutable global of the plugin: a signal handler receives nothing but
// the signal number, so what it records must live where it can reach it, and
// storing to a lock-free atomic is among the few things it may safely do.
std::atomic<int> g_received{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void OnInterrupt(int signal) {
  int expected = 0;
  if (g_received.compare_exchange_strong(expected, signal)) return;
  // A second signal: take the default action now (sigaction and raise are
  // async-signal-safe).
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  sigaction(signal, &default_action, nullptr);
  raise(signal);
}

}  // namespace

InterruptSignals::InterruptSignals() {
  g_received.store(0);
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // system calls in flight carry on; the command polls received()
  sigaction(SIGINT, &action, &previous_int_);
  sigaction(SIGTERM, &action, &previous_term_);
  // A signal the caller chose to ignore (a background job's SIGINT) stays ignored.
  if (previous_int_.sa_handler == SIG_IGN) sigaction(SIGINT, &previous_int_, nullptr);
  if (previous_term_.sa_handler == SIG_IGN) sigaction(SIGTERM, &previous_term_, nullptr);
}

InterruptSignals::~InterruptSignals() {
  sigaction(SIGINT, &previous_int_, nullptr);
  sigaction(SIGTERM, &previous_term_, nullptr);
}

int InterruptSignals::received() const { return g_received.load(); }

std::string SignalName(int signal) {
  switch (signal) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return fmt::format("signal {}", signal);
  }
}

}  // namespace llm
