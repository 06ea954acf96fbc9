#include "kube/api_status.h"
#include "kube/object_fields.h"
#include "util/strings.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace llm::kube {
namespace {}  // namespace

std::optional<ApiStatus> ParseApiStatus(std::string_view body) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || StringAt(doc, {"kind"}) != "Status") return std::nullopt;
  ApiStatus status;
  if (auto code = doc.find("code"); code != doc.end() && code->is_number_integer()) status.code = code->get<int>();
  status.reason = StringAt(doc, {"reason"});
  status.message = StringAt(doc, {"message"});
  if (auto details = doc.find("details"); details != doc.end() && details->is_object()) {
    status.name = StringAt(*details, {"name"});
    status.group = StringAt(*details, {"group"});
    status.kind = StringAt(*details, {"kind"});
    if (auto ra = details->find("retryAfterSeconds"); ra != details->end() && ra->is_number_integer()) {
      status.retry_after_seconds = ra->get<int>();
    }
    if (auto causes = details->find("causes"); causes != details->end() && causes->is_array()) {
      for (const auto& c : *causes) {
        if (!c.is_object()) continue;
        status.causes.push_back({StringAt(c, {"reason"}), StringAt(c, {"message"}), StringAt(c, {"field"})});
      }
    }
  }
  return status;
}

ApiStatus StatusForResponse(const HttpResponse& response, std::string_view method, const ResourceRef* ref) {
  if (auto parsed = ParseApiStatus(response.body)) {
    if (parsed->code == 0) parsed->code = response.status;
    return *parsed;
  }
  // client-go newUnstructuredResponseError: only a text body is quoted, capped at 2 KiB.
  std::string server_message = "unknown";
  if (Lower(response.Header("Content-Type")).starts_with("text/plain")) {
    server_message = Trim(std::string_view(response.body).substr(0, 2048));
  }
  ApiStatus status;
  status.code = response.status;
  status.message =
      fmt::format("the server responded with the status code {} but did not return more information", response.status);
  switch (response.status) {
    case 409:
      status.reason = method == "POST" ? "AlreadyExists" : "Conflict";
      status.message = "the server reported a conflict";
      break;
    case 404:
      status.reason = "NotFound";
      status.message = "the server could not find the requested resource";
      break;
    case 400:
      status.reason = "BadRequest";
      status.message = "the server rejected our request for an unknown reason";
      break;
    case 401:
      status.reason = "Unauthorized";
      status.message = "the server has asked for the client to provide credentials";
      break;
    case 403:
      status.reason = "Forbidden";
      status.message = server_message;
      break;
    case 405:
      status.reason = "MethodNotAllowed";
      status.message = "the server does not allow this method on the requested resource";
      break;
    case 422:
      status.reason = "Invalid";
      status.message = "the server rejected our request due to an error in our request";
      break;
    case 504:
      status.reason = "Timeout";
      status.message =
          "the server was unable to return a response in the time allotted, but may still be processing the request";
      break;
    case 429:
      status.reason = "TooManyRequests";
      status.message = "the server has received too many requests and has asked us to try again later";
      break;
    default:
      if (response.status >= 500) {
        status.reason = "InternalError";
        status.message =
            fmt::format("an error on the server (\"{}\") has prevented the request from succeeding", server_message);
      }
  }
  if (ref != nullptr && !ref->resource.empty()) {
    status.message += ref->name.empty() ? fmt::format(" ({} {})", Lower(method), ref->GroupResource())
                                        : fmt::format(" ({} {} {})", Lower(method), ref->GroupResource(), ref->name);
  }
  return status;
}

ErrorKind KindForStatus(const ApiStatus& status) {
  const std::string& r = status.reason;
  if (r == "NotFound") return ErrorKind::kNotFound;
  if (r == "AlreadyExists") return ErrorKind::kAlreadyExists;
  if (r == "Conflict") return ErrorKind::kConflict;
  if (r == "Forbidden") return ErrorKind::kForbidden;
  if (r == "Unauthorized") return ErrorKind::kUnauthorized;
  if (r == "Invalid") return ErrorKind::kInvalid;
  if (r == "Timeout" || r == "ServerTimeout") return ErrorKind::kTimeout;
  switch (status.code) {
    case 401:
      return ErrorKind::kUnauthorized;
    case 403:
      return ErrorKind::kForbidden;
    case 404:
      return ErrorKind::kNotFound;
    case 409:
      return ErrorKind::kConflict;
    case 422:
      return ErrorKind::kInvalid;
    case 504:
      return ErrorKind::kTimeout;
    default:
      return ErrorKind::kServer;
  }
}

std::string KubectlMessage(const ApiStatus& status) {
  if (status.reason == "Unauthorized") {
    return fmt::format("You must be logged in to the server ({})", status.message);
  }
  if (status.reason == "Invalid") {
    // kubectl checkErr: "The request is invalid" unless details name the object.
    std::string prefix = "The request is invalid";
    if (!status.kind.empty() || !status.name.empty()) {
      prefix = fmt::format("The {} \"{}\" is invalid", status.kind, status.name);
    }
    std::vector<std::string> lines;
    std::set<std::string> seen;
    for (const StatusCause& c : status.causes) {
      std::string line = fmt::format("{}: {}", c.field, c.message);
      if (seen.insert(line).second) lines.push_back(std::move(line));
    }
    if (lines.empty()) {
      if (status.kind.empty() && status.name.empty() && !status.message.empty()) {
        return prefix + ": " + status.message;
      }
      return prefix;
    }
    if (lines.size() == 1) return prefix + ": " + lines.front();
    std::string out = prefix + ": ";
    for (const std::string& line : lines) out += "\n* " + line;
    return out;
  }
  if (!status.reason.empty()) return fmt::format("Error from server ({}): {}", status.reason, status.message);
  return "Error from server: " + status.message;
}

Error ErrorFromStatus(const ApiStatus& status) { return Error(KindForStatus(status), KubectlMessage(status)); }

bool IsApplyConflict(const ApiStatus& status) {
  if (status.code != 409) return false;
  return std::any_of(status.causes.begin(), status.causes.end(),
                     [](const StatusCause& c) { return c.reason == "FieldManagerConflict"; });
}

Error ApplyConflictError(const ApiStatus& status) {
  std::vector<std::string> fields;
  for (const StatusCause& cause : status.causes) {
    if (cause.reason == "FieldManagerConflict" && !cause.field.empty()) fields.push_back(cause.field);
  }
  // kubectl apply's text; the server's message already lists fields and managers.
  return Error(ErrorKind::kConflict, status.message +
                                         "\nPlease review the fields above--they currently have other managers. Here\n"
                                         "are the ways you can resolve this warning:\n"
                                         "* If you intend to manage all of these fields, please re-run the apply\n"
                                         "  command with the `--force-conflicts` flag.\n"
                                         "* If you do not intend to manage all of the fields, please edit your\n"
                                         "  manifest to remove references to the fields that should keep their\n"
                                         "  current managers.\n"
                                         "* You may co-own fields by updating your manifest to match the existing\n"
                                         "  value; in this case, you'll become the manager if the manager(s) stop\n"
                                         "  managing the field (remove it from the manifest).")
      .WithFields(std::move(fields));
}

bool IsResourceExpired(const Error& error) {
  const std::string& m = error.message();
  return m.find("Error from server (Expired)") != std::string::npos ||
         m.find("Error from server (Gone)") != std::string::npos;
}

std::vector<std::string> ParseWarningHeaders(const HttpResponse& response) {
  std::vector<std::string> out;
  for (const std::string& header : response.HeaderValues("Warning")) {
    // One header may carry several comma-separated warnings (RFC 7234):
    // warn-code SP warn-agent SP quoted-text [SP quoted-date]. Only 299 carries API warnings.
    std::string_view rest = header;
    while (!rest.empty()) {
      while (!rest.empty() && (rest.front() == ' ' || rest.front() == ',')) rest.remove_prefix(1);
      size_t first = rest.find(' ');
      size_t second = first == std::string_view::npos ? first : rest.find(' ', first + 1);
      if (second == std::string_view::npos) break;
      bool api_warning = rest.substr(0, first) == "299";
      rest.remove_prefix(second + 1);
      if (rest.empty() || rest.front() != '"') break;
      std::string text;
      size_t i = 1;
      bool closed = false;
      for (; i < rest.size(); ++i) {
        if (rest[i] == '\\' && i + 1 < rest.size()) {
          text.push_back(rest[++i]);
        } else if (rest[i] == '"') {
          closed = true;
          break;
        } else {
          text.push_back(rest[i]);
        }
      }
      if (!closed) break;
      if (api_warning && !text.empty()) out.push_back(std::move(text));
      rest.remove_prefix(i + 1);
      // An optional quoted warn-date follows.
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      if (!rest.empty() && rest.front() == '"') {
        size_t end = rest.find('"', 1);
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
      }
    }
  }
  return out;
}

}  // namespace llm::kube
