#include "watchdog.h"

#include <fmt/format.h>

namespace llm::gpu_check {

Watchdog::Watchdog(Handler handler) : handler_(std::move(handler)), thread_([this] { Loop(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Watchdog::Arm(const std::string& phase, std::chrono::steady_clock::duration budget) {
  {
    std::lock_guard lock(mu_);
    phase_ = phase;
    budget_s_ = std::chrono::duration<double>(budget).count();
    deadline_ = std::chrono::steady_clock::now() + budget;
  }
  cv_.notify_all();
}

void Watchdog::Disarm() {
  {
    std::lock_guard lock(mu_);
    deadline_.reset();
  }
  cv_.notify_all();
}

void Watchdog::Fire(const std::string& reason) {
  {
    std::lock_guard lock(mu_);
    if (!fire_reason_) fire_reason_ = reason;
  }
  cv_.notify_all();
}

bool Watchdog::fired() const {
  std::lock_guard lock(mu_);
  return fired_;
}

void Watchdog::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (fire_reason_ && !fired_) {
      fired_ = true;
      const std::string reason = *fire_reason_;
      lock.unlock();
      handler_(reason);
      lock.lock();
      continue;
    }
    if (deadline_ && !fired_ && std::chrono::steady_clock::now() >= *deadline_) {
      fire_reason_ = fmt::format("{}: deadline of {:.1f} s passed", phase_, budget_s_);
      continue;
    }
    if (deadline_ && !fired_) {
      cv_.wait_until(lock, *deadline_);
    } else {
      cv_.wait(lock);
    }
  }
}

}  // namespace llm::gpu_check
