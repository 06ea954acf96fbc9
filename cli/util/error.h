// Error: what went wrong, for whom, and which exit code it earns.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace llm {

/// The class of a failure. main() maps it to an exit code; lower layers only
/// pick the kind that describes the failure.
enum class ErrorKind {
  kUsage,         ///< bad flags or arguments (exit 2)
  kInvalidInput,  ///< a value or file the user gave is not acceptable (exit 1)
  kNotFound,
  kAlreadyExists,
  kConflict,
  kForbidden,
  kUnauthorized,
  kInvalid,       ///< the API server rejected an object (422)
  kConnection,    ///< the server could not be reached
  kServer,        ///< the server answered with an error we cannot classify more precisely
  kTimeout,
  kInternal,
};

/// An error as a value. Each layer adds context in front of the message
/// (kubectl's AddSourceToErr), so the final text reads outermost-first.
class Error {
 public:
  Error(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }

  /// Returns this error with "context: " in front of the message.
  [[nodiscard]] Error WithContext(std::string_view context) const {
    return Error(kind_, std::string(context) + ": " + message_);
  }

 private:
  ErrorKind kind_;
  std::string message_;
};

}  // namespace llm
