// Result<T>: a value or an Error. std::expected arrives with C++23; until then
// this small type carries errors as values through every layer below main().
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "util/error.h"

namespace llm {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

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

  const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

/// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_{ErrorKind::kInternal, ""};
  bool ok_ = true;
};

using Status = Result<void>;

inline Status Ok() { return {}; }

}  // namespace llm

/// Evaluates a Result-returning expression; on error returns that error from
/// the enclosing function (which must return Result<U> or Status).
#define LLM_RETURN_IF_ERROR(expr)                      \
  do {                                                 \
    auto llm_status_ = (expr);                         \
    if (!llm_status_.ok()) return llm_status_.error(); \
  } while (false)

/// Declares `lhs` from a Result-returning expression, returning its error early.
#define LLM_ASSIGN_OR_RETURN(lhs, expr) LLM_ASSIGN_OR_RETURN_IMPL_(LLM_CONCAT_(llm_r_, __LINE__), lhs, expr)
#define LLM_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.error();               \
  lhs = std::move(tmp).value()
#define LLM_CONCAT_(a, b) LLM_CONCAT_INNER_(a, b)
#define LLM_CONCAT_INNER_(a, b) a##b
