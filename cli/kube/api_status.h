// api_status: error responses turned into kubectl's messages
// (kubectl cmd/util/helpers.go StandardErrorMessage and checkErr; client-go
// NewGenericServerResponse for bodies that are not a Status), and the
// server's Warning headers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kube/resource_ref.h"
#include "kube/transport.h"
#include "util/error.h"

namespace llm::kube {

struct StatusCause {
  std::string reason;
  std::string message;
  std::string field;
};

/// metav1.Status, the parts clients use.
struct ApiStatus {
  int code = 0;
  std::string reason;  ///< NotFound, Invalid, Conflict, ... ("" when unknown)
  std::string message;
  std::string name;   ///< details.name
  std::string group;  ///< details.group
  std::string kind;   ///< details.kind
  std::vector<StatusCause> causes;
  int retry_after_seconds = 0;
};

/// Parses a body of kind Status; nullopt when it is something else.
std::optional<ApiStatus> ParseApiStatus(std::string_view body);

/// The Status for an error response: the body's own Status when it has one,
/// else one built from the HTTP code as client-go does (a proxy's HTML page
/// still gives a useful error). `ref` names the resource for that fallback.
ApiStatus StatusForResponse(const HttpResponse& response, std::string_view method, const ResourceRef* ref);

/// ErrorKind for a Status (reason first, then HTTP code).
ErrorKind KindForStatus(const ApiStatus& status);

/// The message kubectl prints for the Status:
///   Unauthorized  -> "You must be logged in to the server (<msg>)"
///   Invalid       -> "The <Kind> \"<name>\" is invalid: <field>: <msg>" (bullets when several)
///   other reason  -> "Error from server (<Reason>): <msg>"
///   no reason     -> "Error from server: <msg>"
std::string KubectlMessage(const ApiStatus& status);

/// KubectlMessage as an Error of the matching kind.
Error ErrorFromStatus(const ApiStatus& status);

/// A server-side apply conflict (409 with FieldManagerConflict causes)?
bool IsApplyConflict(const ApiStatus& status);
/// kubectl apply's message for it: the server's list of conflicting fields and
/// managers, then the hint about --force-conflicts.
Error ApplyConflictError(const ApiStatus& status);

/// True for 410 Gone / reason Expired (watch too old, continue token expired):
/// callers relist. Works on errors made by ErrorFromStatus.
bool IsResourceExpired(const Error& error);

/// The text of each `Warning: 299 - "text"` header (RFC 7234 warn-text), unquoted.
std::vector<std::string> ParseWarningHeaders(const HttpResponse& response);

}  // namespace llm::kube
