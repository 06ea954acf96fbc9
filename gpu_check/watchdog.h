// Watchdog: the guarantee that llm-gpu-check never hangs. A thread of its own
// waits for the armed deadline; it never calls into CUDA, so a wedged kernel or
// a stuck NCCL bootstrap cannot stop it. On expiry (or Fire(), used for
// SIGTERM) it runs the handler once: in the program that aborts NCCL
// communicators, writes what was measured so far and _exits with 4.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace llm::gpu_check {

class Watchdog {
 public:
  /// Called once, on the watchdog thread, with the reason ("hbm: deadline of
  /// 15 s passed", "SIGTERM"). It may not return (the program _exits).
  using Handler = std::function<void(const std::string& reason)>;

  explicit Watchdog(Handler handler);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  /// Starts (or replaces) the deadline of a phase.
  void Arm(const std::string& phase, std::chrono::steady_clock::duration budget);
  /// Clears the deadline; nothing fires until the next Arm.
  void Disarm();
  /// Runs the handler now (unless it already ran) with `reason`.
  void Fire(const std::string& reason);
  /// True once the handler has started.
  bool fired() const;

 private:
  void Loop();

  Handler handler_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::string phase_;
  double budget_s_ = 0;
  std::optional<std::string> fire_reason_;
  bool fired_ = false;
  bool stop_ = false;
  std::thread thread_;  // last: starts after the members it reads
};

}  // namespace llm::gpu_check
