// RestClientImpl: the RestClient every command gets (through client_factory).
// One pipeline per request: credentials, User-Agent, rate limit, -v logging
// with secrets redacted, retries (retry_policy), one credential refresh after a
// 401, Warning headers, and kubectl-shaped errors (api_status).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <string>

#include "kube/authenticator.h"
#include "kube/rate_limiter.h"
#include "kube/request_logger.h"
#include "kube/rest_client.h"
#include "kube/retry_policy.h"
#include "kube/transport.h"
#include "util/clock.h"

namespace llm::kube {

struct RestClientOptions {
  std::string server;  ///< shown in -v logs
  std::string user_agent;
  int verbosity = 0;
  std::ostream* log = nullptr;       ///< -v output (stderr)
  std::ostream* warnings = nullptr;  ///< "Warning: ..." lines (stderr)
  /// --request-timeout: bounds every non-streaming request, and goes to the
  /// server as ?timeout= on every request (streams included), as client-go does.
  std::chrono::milliseconds request_timeout{0};
  RetryPolicy retry;
  double qps = kDefaultQps;
  int burst = kDefaultBurst;
};

/// The distinct Warning headers the API server sent this process's clients
/// (--warnings-as-errors counts them, as kubectl's warning handler does).
int ServerWarningsReceived();

class RestClientImpl final : public RestClient {
 public:
  /// `auth` may be null (no credentials).
  RestClientImpl(std::shared_ptr<Transport> transport, std::shared_ptr<Authenticator> auth,
                 std::shared_ptr<Clock> clock, RestClientOptions options);

  Result<HttpResponse> Do(HttpRequest request) override;
  Result<HttpResponse> Stream(HttpRequest request, const ChunkSink& sink) override;
  Result<nlohmann::json> Get(const ResourceRef& ref) override;
  Result<nlohmann::json> List(const ResourceRef& ref, const ListOptions& options) override;
  Result<nlohmann::json> Create(const ResourceRef& ref, const nlohmann::json& object, bool dry_run) override;
  Result<AppliedObject> ApplyObject(const ResourceRef& ref, const nlohmann::json& object,
                                    const ApplyOptions& options) override;
  Result<nlohmann::json> MergePatch(const ResourceRef& ref, const nlohmann::json& patch, bool dry_run) override;
  Result<nlohmann::json> JsonPatch(const ResourceRef& ref, const nlohmann::json& operations,
                                   const std::string& field_manager) override;
  Result<nlohmann::json> Delete(const ResourceRef& ref, const DeleteOptions& options) override;
  void Warn(const std::string& text) override;
  void Prefetch(const std::vector<PlannedRead>& reads) override;
  std::vector<Result<AppliedObject>> ApplyObjects(const std::vector<PlannedApply>& applies) override;
  std::vector<Result<nlohmann::json>> WriteTogether(const std::vector<PlannedWrite>& writes) override;
  std::vector<Result<nlohmann::json>> WriteTogetherPrefetching(const std::vector<PlannedWrite>& writes,
                                                               const std::vector<PlannedRead>& reads) override;

 private:
  /// The request as sent: default headers, and --request-timeout (also as ?timeout=).
  HttpRequest Prepared(HttpRequest request, bool streaming) const;
  static HttpRequest GetRequest(const ResourceRef& ref);
  static HttpRequest CreateRequest(const ResourceRef& ref, const nlohmann::json& object, bool dry_run);
  /// The object `ref` names, or the one the object names when `ref` has no name.
  static ResourceRef ApplyTarget(const ResourceRef& ref, const nlohmann::json& object);
  static HttpRequest ApplyRequest(const ResourceRef& target, const nlohmann::json& object, const ApplyOptions& options);
  static HttpRequest MergePatchRequest(const ResourceRef& ref, const nlohmann::json& patch, bool dry_run);
  static HttpRequest JsonPatchRequest(const ResourceRef& ref, const nlohmann::json& operations,
                                      const std::string& field_manager);
  static HttpRequest DeleteRequest(const ResourceRef& ref, const DeleteOptions& options);
  /// Requests as sent (Prepared, with their credential) and what each was answered.
  struct SentTogether {
    std::vector<HttpRequest> wires;
    std::vector<Result<HttpResponse>> outcomes;
  };
  /// Sends `requests` together (Transport::DoAll), each rate-limited and
  /// logged as Send would; nullopt, with nothing sent, when one of them
  /// cannot get its credential (each call then says why).
  std::optional<SentTogether> SendTogether(std::vector<HttpRequest> requests);
  /// The requests that make `reads`, as Get, List (its first page) and Create make them.
  static std::vector<HttpRequest> ReadRequests(const std::vector<PlannedRead>& reads);
  /// Keeps the answers of sent.wires[first_read...] (reads) for the calls that make them next.
  void KeepPrefetched(SentTogether& sent, size_t first_read);
  /// What the base class does: the reads prefetched, then each write by its own call.
  std::vector<Result<nlohmann::json>> OneAfterAnother(const std::vector<PlannedWrite>& writes,
                                                      const std::vector<PlannedRead>& reads);
  /// The answer Prefetch kept for this exact request (method, path, body), taken once.
  std::optional<HttpResponse> TakePrefetched(const HttpRequest& wire);
  /// One request through the pipeline. `first_answer`: what the first attempt
  /// was already answered, sent with others by SendTogether; the rest (401
  /// refresh, retries, errors) is as for a request sent here.
  Result<HttpResponse> Send(HttpRequest request, const ChunkSink* sink, const ResourceRef* ref,
                            std::optional<Result<HttpResponse>> first_answer = std::nullopt);
  Result<nlohmann::json> SendJson(HttpRequest request, const ResourceRef& ref);
  Result<nlohmann::json> ListOnce(const ResourceRef& ref, const ListOptions& options, const std::string& cont);
  void EmitWarnings(const HttpResponse& response);
  /// Prints `text` unless this client printed it before; true when it is new.
  bool PrintOnce(const std::string& text);

  std::shared_ptr<Clock> clock_;
  std::shared_ptr<Transport> transport_;
  std::shared_ptr<Authenticator> auth_;
  RestClientOptions options_;
  RateLimiter limiter_;
  RequestLogger logger_;
  std::mutex warnings_mu_;
  std::set<std::string> warned_;  // kubectl prints each distinct warning once
  std::mutex prefetched_mu_;
  std::map<std::string, HttpResponse> prefetched_;  // by PrefetchKey
};

}  // namespace llm::kube
