// Status and Result<T> for gpu_check: errors as values that carry the exit
// code they earn, so CUDA_CHECK/NCCL_CHECK return instead of exiting and the
// runner can keep partial results.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "exit_code.h"

namespace llm::gpu_check {

/// A failure: the exit code it maps to and a message; each layer adds context
/// in front ("hbm: gpu 3: cudaMalloc(...): out of memory").
class Failure {
 public:
  Failure(ExitCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ExitCode code() const { return code_; }
  const std::string& message() const { return message_; }

  [[nodiscard]] Failure WithContext(std::string_view context) const {
    return Failure(code_, std::string(context) + ": " + message_);
  }

 private:
  ExitCode code_;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}            // NOLINT: implicit by design
  Result(Failure failure) : state_(std::in_place_index<1>, std::move(failure)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Failure& failure() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Failure> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Failure failure) : failure_(std::move(failure)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Failure& failure() const {
    assert(!ok_);
    return failure_;
  }

 private:
  Failure failure_{ExitCode::kPass, ""};
  bool ok_ = true;
};

using Status = Result<void>;

inline Status OkStatus() { return {}; }

}  // namespace llm::gpu_check

#define GC_CONCAT_INNER_(a, b) a##b
#define GC_CONCAT_(a, b) GC_CONCAT_INNER_(a, b)

/// Returns the failure of a Result/Status expression from the enclosing function.
/// The temporary is named after the line, so nested uses (a lambda passed to
/// a call that is itself checked) do not shadow each other.
#define GC_RETURN_IF_ERROR(expr) GC_RETURN_IF_ERROR_IMPL_(GC_CONCAT_(gc_status_, __LINE__), expr)
#define GC_RETURN_IF_ERROR_IMPL_(tmp, expr) \
  do {                                      \
    auto tmp = (expr);                      \
    if (!tmp.ok()) return tmp.failure();    \
  } while (false)

#define GC_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.failure();            \
  lhs = std::move(tmp).value()
/// Declares `lhs` from a Result expression, returning its failure early.
#define GC_ASSIGN_OR_RETURN(lhs, expr) GC_ASSIGN_OR_RETURN_IMPL_(GC_CONCAT_(gc_r_, __LINE__), lhs, expr)
