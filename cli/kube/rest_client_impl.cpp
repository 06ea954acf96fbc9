#include "kube/rest_client_impl.h"

#include <algorithm>
#include <atomic>

#include <fmt/format.h>

#include "kube/api_proxy.h"
#include "kube/api_status.h"
#include "kube/paged_list.h"
#include "kube/url_query.h"
#include "util/go_duration.h"

namespace llm::kube {
namespace {

bool HasHeader(const HttpRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key.size() == name.size() && std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return true;
    }
  }
  return false;
}

std::string HeaderOf(const HttpRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return "";
}

/// The shorter of two limits, zero meaning none.
std::chrono::milliseconds Shorter(std::chrono::milliseconds a, std::chrono::milliseconds b) {
  if (a.count() == 0) return b;
  if (b.count() == 0) return a;
  return std::min(a, b);
}

Error NeedsName(const ResourceRef& ref, std::string_view verb) {
  return Error(ErrorKind::kInternal, fmt::format("{} {} needs an object name", verb, ref.GroupResource()));
}

}  // namespace

RestClientImpl::RestClientImpl(std::shared_ptr<Transport> transport, std::shared_ptr<Authenticator> auth,
                               std::shared_ptr<Clock> clock, RestClientOptions options)
    : clock_(std::move(clock)),
      transport_(std::move(transport)),
      auth_(std::move(auth)),
      options_(std::move(options)),
      limiter_(*clock_, options_.qps, options_.burst),
      logger_(options_.log, options_.verbosity, options_.server) {}

namespace {
std::atomic<int> server_warnings{0};
}  // namespace

int ServerWarningsReceived() { return server_warnings.load(); }

void RestClientImpl::EmitWarnings(const HttpResponse& response) {
  for (const std::string& text : ParseWarningHeaders(response)) {
    if (PrintOnce(text)) server_warnings.fetch_add(1);
  }
}

void RestClientImpl::Warn(const std::string& text) { PrintOnce(text); }

bool RestClientImpl::PrintOnce(const std::string& text) {
  std::lock_guard<std::mutex> lock(warnings_mu_);
  if (!warned_.insert(text).second) return false;
  if (options_.warnings != nullptr) *options_.warnings << "Warning: " << text << "\n";
  return true;
}

HttpRequest RestClientImpl::Prepared(HttpRequest request, bool streaming) const {
  if (!HasHeader(request, "Accept")) request.headers.emplace_back("Accept", "application/json");
  if (!request.body.empty() && !HasHeader(request, "Content-Type")) {
    request.headers.emplace_back("Content-Type", "application/json");
  }
  if (!HasHeader(request, "User-Agent")) request.headers.emplace_back("User-Agent", options_.user_agent);
  // --request-timeout bounds every plain request, as Go's http.Client.Timeout
  // does; a caller's own limit (discovery's 32 s) holds when it is shorter or
  // when no --request-timeout is given. Streams keep theirs (a watch's guard).
  if (!streaming) request.timeout = Shorter(request.timeout, options_.request_timeout);
  // client-go also sends the limit as ?timeout= (rest/request.go URL()), so the
  // server stops working on a request the client gave up on. Watches and
  // streams carry it too: there it is --request-timeout (the http.Client's).
  const std::chrono::milliseconds server_timeout = !streaming ? request.timeout : options_.request_timeout;
  if (server_timeout.count() > 0) request.path = AppendQuery(request.path, "timeout", GoDurationString(server_timeout));
  return request;
}

namespace {
/// What makes two requests the same read: the Accept header chooses the
/// answer's form (a metadata-only list); the credential does not.
std::string PrefetchKey(const HttpRequest& request) {
  return request.method + '\n' + request.path + '\n' + HeaderOf(request, "Accept") + '\n' + request.body;
}
}  // namespace

std::optional<HttpResponse> RestClientImpl::TakePrefetched(const HttpRequest& wire) {
  std::lock_guard<std::mutex> lock(prefetched_mu_);
  auto it = prefetched_.find(PrefetchKey(wire));
  if (it == prefetched_.end()) return std::nullopt;
  HttpResponse response = std::move(it->second);
  prefetched_.erase(it);
  return response;
}

std::optional<RestClientImpl::SentTogether> RestClientImpl::SendTogether(std::vector<HttpRequest> requests) {
  SentTogether sent;
  for (HttpRequest& request : requests) {
    HttpRequest wire = Prepared(std::move(request), /*streaming=*/false);
    if (auth_ && !auth_->Authorize(wire).ok()) return std::nullopt;
    sent.wires.push_back(std::move(wire));
  }
  for (const HttpRequest& wire : sent.wires) {
    limiter_.Wait();
    logger_.LogRequest(wire);
  }
  auto start = clock_->Monotonic();
  sent.outcomes = transport_->DoAll(sent.wires);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(clock_->Monotonic() - start);
  for (size_t i = 0; i < sent.wires.size() && i < sent.outcomes.size(); ++i) {
    logger_.LogResponse(sent.wires[i], sent.outcomes[i], took);
  }
  return sent;
}

std::vector<HttpRequest> RestClientImpl::ReadRequests(const std::vector<PlannedRead>& reads) {
  std::vector<HttpRequest> requests;
  for (const PlannedRead& read : reads) {
    switch (read.verb) {
      case PlannedRead::Verb::kGet:
        requests.push_back(GetRequest(read.ref));
        break;
      case PlannedRead::Verb::kList: {
        ResourceRef collection = read.ref;
        collection.name.clear();
        requests.push_back(ListPageRequest(collection, read.list, "",
                                           read.metadata_only ? ListItems::kMetadataOnly : ListItems::kObjects));
        break;
      }
      case PlannedRead::Verb::kCreate:
        requests.push_back(CreateRequest(read.ref, read.body, /*dry_run=*/false));
        break;
    }
  }
  return requests;
}

void RestClientImpl::KeepPrefetched(SentTogether& sent, size_t first_read) {
  std::lock_guard<std::mutex> lock(prefetched_mu_);
  for (size_t i = first_read; i < sent.wires.size() && i < sent.outcomes.size(); ++i) {
    const std::string key = PrefetchKey(sent.wires[i]);
    // Kept: an answer the call would take as it is. What it would retry or
    // answer with a fresh credential (a failure, 401, 429, 5xx) it asks again,
    // and an older answer to the same read is not taken in its place.
    const bool failed = !sent.outcomes[i].ok() || sent.outcomes[i]->status == 401 || sent.outcomes[i]->status == 429 ||
                        sent.outcomes[i]->status >= 500;
    if (failed) {
      prefetched_.erase(key);
      continue;
    }
    prefetched_[key] = std::move(sent.outcomes[i]).value();
  }
}

void RestClientImpl::Prefetch(const std::vector<PlannedRead>& reads) {
  std::optional<SentTogether> sent = SendTogether(ReadRequests(reads));
  if (!sent) return;  // nothing sent; the calls themselves say why
  KeepPrefetched(*sent, 0);
}

Result<HttpResponse> RestClientImpl::Send(HttpRequest request, const ChunkSink* sink, const ResourceRef* ref,
                                          std::optional<Result<HttpResponse>> first_answer) {
  request = Prepared(std::move(request), /*streaming=*/sink != nullptr);

  bool refreshed_after_401 = false;
  int attempt = 0;
  while (true) {
    HttpRequest wire = request;
    if (auth_) LLM_RETURN_IF_ERROR(auth_->Authorize(wire));
    // A stream that delivered data cannot be replayed: its consumer saw it.
    bool delivered = false;
    ChunkSink counting;
    if (sink != nullptr) {
      counting = [&](std::string_view chunk) {
        delivered = true;
        return (*sink)(chunk);
      };
    }
    const bool first = sink == nullptr && attempt == 0 && !refreshed_after_401;
    std::optional<HttpResponse> prefetched = first && !first_answer ? TakePrefetched(wire) : std::nullopt;
    Result<HttpResponse> outcome = HttpResponse{};
    if (first && first_answer) {
      outcome = std::move(*first_answer);  // sent and logged by SendTogether
      first_answer.reset();
    } else if (prefetched) {
      outcome = std::move(*prefetched);  // sent and logged by Prefetch
    } else {
      limiter_.Wait();
      logger_.LogRequest(wire);
      auto start = clock_->Monotonic();
      outcome = sink != nullptr ? transport_->Stream(wire, counting) : transport_->Do(wire);
      logger_.LogResponse(wire, outcome,
                          std::chrono::duration_cast<std::chrono::milliseconds>(clock_->Monotonic() - start));
    }
    if (outcome.ok()) EmitWarnings(*outcome);
    const bool from_backend = IsProxyPath(request.path) && outcome.ok() && !ParseApiStatus(outcome->body);

    if (outcome.ok() && outcome->status == 401 && !from_backend && auth_ && !refreshed_after_401 && !delivered &&
        auth_->RefreshAfterUnauthorized(wire)) {
      refreshed_after_401 = true;  // retried once with a fresh credential, never more
      continue;
    }
    if (!delivered && !from_backend) {
      RetryDecision decision = options_.retry.Decide(request, outcome, attempt);
      if (decision.retry) {
        clock_->SleepFor(decision.delay);
        ++attempt;
        continue;
      }
    }
    if (!outcome.ok()) return outcome.error();
    if (outcome->status >= 400 && !from_backend) {
      ApiStatus status = StatusForResponse(*outcome, request.method, ref);
      if (IsApplyConflict(status) && HeaderOf(request, "Content-Type") == "application/apply-patch+yaml") {
        return ApplyConflictError(status);
      }
      return ErrorFromStatus(status);
    }
    return outcome;
  }
}

Result<HttpResponse> RestClientImpl::Do(HttpRequest request) { return Send(std::move(request), nullptr, nullptr); }

Result<HttpResponse> RestClientImpl::Stream(HttpRequest request, const ChunkSink& sink) {
  return Send(std::move(request), &sink, nullptr);
}

namespace {
Result<nlohmann::json> JsonBody(const HttpResponse& response, const std::string& method, const ResourceRef& ref) {
  if (response.body.empty()) return nlohmann::json::object();
  nlohmann::json doc = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Error(
        ErrorKind::kServer,
        fmt::format("Server returned an unexpected response: the body of {} {} is not JSON", method, ref.Path()));
  }
  return doc;
}
}  // namespace

Result<nlohmann::json> RestClientImpl::SendJson(HttpRequest request, const ResourceRef& ref) {
  const std::string method = request.method;
  LLM_ASSIGN_OR_RETURN(HttpResponse response, Send(std::move(request), nullptr, &ref));
  return JsonBody(response, method, ref);
}

HttpRequest RestClientImpl::GetRequest(const ResourceRef& ref) {
  HttpRequest request;
  request.path = ref.Path();
  return request;
}

Result<nlohmann::json> RestClientImpl::Get(const ResourceRef& ref) {
  if (ref.name.empty()) return NeedsName(ref, "get");
  return SendJson(GetRequest(ref), ref);
}

Result<nlohmann::json> RestClientImpl::ListOnce(const ResourceRef& ref, const ListOptions& options,
                                                const std::string& cont) {
  return SendJson(ListPageRequest(ref, options, cont, ListItems::kObjects), ref);
}

void KeepListedItems(nlohmann::json& page, const ListOptions& options) {
  if (!options.keep_item || !page.contains("items") || !page["items"].is_array()) return;
  nlohmann::json kept = nlohmann::json::array();
  for (auto& item : page["items"]) {
    if (options.keep_item(item)) kept.push_back(std::move(item));
  }
  page["items"] = std::move(kept);
}

Result<nlohmann::json> RestClientImpl::List(const ResourceRef& ref, const ListOptions& options) {
  ResourceRef collection = ref;
  collection.name.clear();
  LLM_ASSIGN_OR_RETURN(nlohmann::json list, ListOnce(collection, options, ""));
  if (!list.contains("items") || list["items"].is_null()) list["items"] = nlohmann::json::array();
  KeepListedItems(list, options);
  while (true) {
    std::string cont = list.contains("metadata") ? list["metadata"].value("continue", "") : "";
    if (cont.empty()) break;
    auto page = ListOnce(collection, options, cont);
    if (!page.ok()) {
      // An expired continue token (410, after ~5 min): client-go's pager then
      // lists everything at once, which is one consistent snapshot.
      if (!IsResourceExpired(page.error())) return page.error();
      ListOptions full = options;
      full.limit = 0;
      LLM_ASSIGN_OR_RETURN(nlohmann::json all, ListOnce(collection, full, ""));
      KeepListedItems(all, options);
      return all;
    }
    KeepListedItems(*page, options);
    if (page->contains("items") && (*page)["items"].is_array()) {
      for (auto& item : (*page)["items"]) list["items"].push_back(std::move(item));
    }
    list["metadata"] = page->value("metadata", nlohmann::json::object());
  }
  if (list.contains("metadata") && list["metadata"].is_object()) list["metadata"].erase("continue");
  return list;
}

HttpRequest RestClientImpl::CreateRequest(const ResourceRef& ref, const nlohmann::json& object, bool dry_run) {
  ResourceRef collection = ref;
  collection.name.clear();
  QueryParams query{{"fieldManager", "kubectl-llm"}, {"fieldValidation", "Strict"}};
  if (dry_run) query.emplace_back("dryRun", "All");
  HttpRequest request;
  request.method = "POST";
  request.path = collection.Path() + EncodeQuery(query);
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = object.dump();
  return request;
}

Result<nlohmann::json> RestClientImpl::Create(const ResourceRef& ref, const nlohmann::json& object, bool dry_run) {
  ResourceRef collection = ref;
  collection.name.clear();
  return SendJson(CreateRequest(ref, object, dry_run), ref.name.empty() ? collection : ref);
}

ResourceRef RestClientImpl::ApplyTarget(const ResourceRef& ref, const nlohmann::json& object) {
  ResourceRef target = ref;
  if (target.name.empty() && object.contains("metadata") && object["metadata"].is_object()) {
    target.name = object["metadata"].value("name", "");
  }
  return target;
}

HttpRequest RestClientImpl::ApplyRequest(const ResourceRef& target, const nlohmann::json& object,
                                         const ApplyOptions& options) {
  QueryParams query{{"fieldManager", options.field_manager}};
  if (options.force) query.emplace_back("force", "true");
  if (options.dry_run) query.emplace_back("dryRun", "All");
  if (!options.field_validation.empty()) query.emplace_back("fieldValidation", options.field_validation);
  HttpRequest request;
  request.method = "PATCH";
  request.path = target.Path() + EncodeQuery(query);
  // JSON is YAML, so the object goes as it is.
  request.headers.emplace_back("Content-Type", "application/apply-patch+yaml");
  request.body = object.dump();
  return request;
}

namespace {
Result<AppliedObject> AppliedFrom(Result<HttpResponse> answer, const ResourceRef& target) {
  LLM_ASSIGN_OR_RETURN(HttpResponse response, std::move(answer));
  AppliedObject applied;
  LLM_ASSIGN_OR_RETURN(applied.object, JsonBody(response, "PATCH", target));
  applied.created = response.status == 201;
  return applied;
}
}  // namespace

Result<AppliedObject> RestClientImpl::ApplyObject(const ResourceRef& ref, const nlohmann::json& object,
                                                  const ApplyOptions& options) {
  const ResourceRef target = ApplyTarget(ref, object);
  if (target.name.empty()) return NeedsName(ref, "apply");
  return AppliedFrom(Send(ApplyRequest(target, object, options), nullptr, &target), target);
}

std::vector<Result<AppliedObject>> RestClientImpl::ApplyObjects(const std::vector<PlannedApply>& applies) {
  std::vector<ResourceRef> targets;
  std::vector<HttpRequest> requests;
  for (const PlannedApply& apply : applies) {
    targets.push_back(ApplyTarget(apply.ref, apply.object));
    if (targets.back().name.empty()) return RestClient::ApplyObjects(applies);  // each says which needs a name
    requests.push_back(ApplyRequest(targets.back(), apply.object, apply.options));
  }
  std::optional<SentTogether> sent = applies.size() > 1 ? SendTogether(requests) : std::nullopt;
  if (!sent) return RestClient::ApplyObjects(applies);  // one, or no credential: as ApplyObject does
  std::vector<Result<AppliedObject>> answers;
  for (size_t i = 0; i < requests.size(); ++i) {
    std::optional<Result<HttpResponse>> first;
    if (i < sent->outcomes.size()) first = std::move(sent->outcomes[i]);
    answers.push_back(AppliedFrom(Send(std::move(requests[i]), nullptr, &targets[i], std::move(first)), targets[i]));
  }
  return answers;
}

HttpRequest RestClientImpl::MergePatchRequest(const ResourceRef& ref, const nlohmann::json& patch, bool dry_run) {
  QueryParams query{{"fieldManager", "kubectl-llm"}};
  if (dry_run) query.emplace_back("dryRun", "All");
  HttpRequest request;
  request.method = "PATCH";
  request.path = ref.Path() + EncodeQuery(query);
  request.headers.emplace_back("Content-Type", "application/merge-patch+json");
  request.body = patch.dump();
  return request;
}

Result<nlohmann::json> RestClientImpl::MergePatch(const ResourceRef& ref, const nlohmann::json& patch, bool dry_run) {
  if (ref.name.empty()) return NeedsName(ref, "patch");
  return SendJson(MergePatchRequest(ref, patch, dry_run), ref);
}

Result<nlohmann::json> RestClientImpl::JsonPatch(const ResourceRef& ref, const nlohmann::json& operations,
                                                 const std::string& field_manager) {
  if (ref.name.empty()) return NeedsName(ref, "patch");
  return SendJson(JsonPatchRequest(ref, operations, field_manager), ref);
}

HttpRequest RestClientImpl::JsonPatchRequest(const ResourceRef& ref, const nlohmann::json& operations,
                                             const std::string& field_manager) {
  HttpRequest request;
  request.method = "PATCH";
  request.path = ref.Path() + EncodeQuery({{"fieldManager", field_manager}});
  request.headers.emplace_back("Content-Type", "application/json-patch+json");
  request.body = operations.dump();
  return request;
}

Result<nlohmann::json> RestClientImpl::Delete(const ResourceRef& ref, const DeleteOptions& options) {
  if (ref.name.empty()) return NeedsName(ref, "delete");
  return SendJson(DeleteRequest(ref, options), ref);
}

HttpRequest RestClientImpl::DeleteRequest(const ResourceRef& ref, const DeleteOptions& options) {
  nlohmann::json body = {{"kind", "DeleteOptions"}, {"apiVersion", "v1"}};
  if (!options.propagation_policy.empty()) body["propagationPolicy"] = options.propagation_policy;
  if (options.grace_period_seconds) body["gracePeriodSeconds"] = *options.grace_period_seconds;
  if (options.dry_run) body["dryRun"] = nlohmann::json::array({"All"});
  HttpRequest request;
  request.method = "DELETE";
  request.path = ref.Path();
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = body.dump();
  return request;
}

std::vector<Result<nlohmann::json>> RestClientImpl::WriteTogether(const std::vector<PlannedWrite>& writes) {
  return WriteTogetherPrefetching(writes, {});
}

std::vector<Result<nlohmann::json>> RestClientImpl::OneAfterAnother(const std::vector<PlannedWrite>& writes,
                                                                    const std::vector<PlannedRead>& reads) {
  if (!reads.empty()) Prefetch(reads);
  return RestClient::WriteTogether(writes);
}

std::vector<Result<nlohmann::json>> RestClientImpl::WriteTogetherPrefetching(const std::vector<PlannedWrite>& writes,
                                                                             const std::vector<PlannedRead>& reads) {
  std::vector<ResourceRef> targets;
  std::vector<HttpRequest> requests;
  for (const PlannedWrite& write : writes) {
    switch (write.verb) {
      case PlannedWrite::Verb::kMergePatch:
        targets.push_back(write.ref);
        requests.push_back(MergePatchRequest(write.ref, write.body, /*dry_run=*/false));
        break;
      case PlannedWrite::Verb::kJsonPatch:
        targets.push_back(write.ref);
        requests.push_back(JsonPatchRequest(write.ref, write.body, write.apply.field_manager));
        break;
      case PlannedWrite::Verb::kApply:
        targets.push_back(ApplyTarget(write.ref, write.body));
        requests.push_back(ApplyRequest(targets.back(), write.body, write.apply));
        break;
      case PlannedWrite::Verb::kDelete:
        targets.push_back(write.ref);
        requests.push_back(DeleteRequest(write.ref, write.remove));
        break;
    }
    if (targets.back().name.empty()) return OneAfterAnother(writes, reads);  // each says which needs a name
  }
  const size_t first_read = requests.size();
  std::vector<HttpRequest> together = requests;
  for (HttpRequest& read : ReadRequests(reads)) together.push_back(std::move(read));
  std::optional<SentTogether> sent = together.size() > 1 ? SendTogether(std::move(together)) : std::nullopt;
  if (!sent) return OneAfterAnother(writes, reads);  // one, or no credential: as each call does
  KeepPrefetched(*sent, first_read);
  std::vector<Result<nlohmann::json>> answers;
  for (size_t i = 0; i < requests.size(); ++i) {
    std::optional<Result<HttpResponse>> first;
    if (i < sent->outcomes.size()) first = std::move(sent->outcomes[i]);
    const std::string method = requests[i].method;
    Result<HttpResponse> answer = Send(std::move(requests[i]), nullptr, &targets[i], std::move(first));
    if (!answer.ok()) {
      answers.push_back(answer.error());
      continue;
    }
    answers.push_back(JsonBody(*answer, method, targets[i]));
  }
  return answers;
}

}  // namespace llm::kube
