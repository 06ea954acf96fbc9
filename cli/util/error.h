// Error: what went wrong, for whom, and which exit code it earns.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
  kInvalid,     ///< the API server rejected an object (422)
  kConnection,  ///< the server could not be reached
  kServer,      ///< the server answered with an error we cannot classify more precisely
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
  /// The fields the API server named as the causes (Status details.causes[].field,
  /// e.g. ".spec.replicas" of a server-side apply conflict), for callers that
  /// act on which fields failed; empty for most errors.
  const std::vector<std::string>& fields() const { return fields_; }

  /// Returns this error with "context: " in front of the message.
  [[nodiscard]] Error WithContext(std::string_view context) const {
    Error out(kind_, std::string(context) + ": " + message_);
    out.fields_ = fields_;
    return out;
  }
  [[nodiscard]] Error WithFields(std::vector<std::string> fields) const {
    Error out = *this;
    out.fields_ = std::move(fields);
    return out;
  }

 private:
  ErrorKind kind_;
  std::string message_;
  std::vector<std::string> fields_;
};

}  // namespace llm
