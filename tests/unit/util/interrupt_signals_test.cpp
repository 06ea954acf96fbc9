#include "util/interrupt_signals.h"

#include <csignal>

#include <doctest/doctest.h>

namespace llm {
namespace {

extern "C" void CountingHandler(int) {}

}  // namespace

TEST_CASE("InterruptSignals: records the first signal and restores the previous handlers") {
  struct sigaction mine {};
  mine.sa_handler = CountingHandler;
  sigemptyset(&mine.sa_mask);
  struct sigaction before_int {
  }, before_term{};
  sigaction(SIGINT, &mine, &before_int);
  sigaction(SIGTERM, &mine, &before_term);
  {
    InterruptSignals signals;
    CHECK(signals.received() == 0);
    raise(SIGTERM);
    CHECK(signals.received() == SIGTERM);
  }
  {
    InterruptSignals again;  // a new command starts with nothing received
    CHECK(again.received() == 0);
    raise(SIGINT);
    CHECK(again.received() == SIGINT);
  }
  struct sigaction now_int {
  }, now_term{};
  sigaction(SIGINT, nullptr, &now_int);
  sigaction(SIGTERM, nullptr, &now_term);
  const bool restored = now_int.sa_handler == CountingHandler && now_term.sa_handler == CountingHandler;
  CHECK(restored);
  sigaction(SIGINT, &before_int, nullptr);
  sigaction(SIGTERM, &before_term, nullptr);
}

TEST_CASE("SignalName and ExitCodeForSignal") {
  CHECK(SignalName(SIGINT) == "SIGINT");
  CHECK(SignalName(SIGTERM) == "SIGTERM");
  CHECK(SignalName(SIGUSR1) == "signal " + std::to_string(SIGUSR1));
  CHECK(ExitCodeForSignal(SIGINT) == 130);
  CHECK(ExitCodeForSignal(SIGTERM) == 143);
}

}  // namespace llm
