// FakeRestClient: a RestClient over an in-memory object store, for unit tests
// of code above the RestClient (applier, watcher, waiter, discovery).
// - Get/List/Apply/Delete act on the store; Apply imitates server-side apply
//   closely enough for callers: a no-op apply keeps resourceVersion and the
//   manager's managedFields time, a change bumps both and the generation, a
//   create answers created=true (201), a dry run stores nothing.
// - Do() answers from a FakeTransport route table (discovery documents);
//   error statuses become Errors as the real RestClient's do.
// - Stream() plays scripted responses, one per call.
// Every call is recorded as "VERB group/resource ns/name" for assertions.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fakes/fake_transport.h"
#include "kube/rest_client.h"

namespace llm::testing {

class FakeRestClient : public kube::RestClient {
 public:
  using StreamScript = std::function<Result<kube::HttpResponse>(const kube::HttpRequest&, const kube::ChunkSink&)>;

  /// Routes for Do().
  FakeTransport routes;

  /// Stores an object as the server would (uid, resourceVersion, generation set).
  nlohmann::json Put(const kube::ResourceRef& ref, nlohmann::json object);
  std::optional<nlohmann::json> Find(const kube::ResourceRef& ref) const;
  /// The next call of `verb` ("GET", "LIST", "APPLY", "DELETE") fails with
  /// `error`; with `name`, the next such call for an object of that name.
  void FailNext(const std::string& verb, Error error, const std::string& name = "");
  /// The server's clock, as it writes creationTimestamp and the managedFields
  /// time of an apply that changed the object.
  std::string now = "2026-11-28T12:00:00Z";
  /// Runs after every stored (non-dry-run) apply, e.g. to mark a CRD Established.
  std::function<void(const kube::ResourceRef& ref, nlohmann::json& stored)> after_apply;

  void QueueStream(StreamScript script) { streams_.push_back(std::move(script)); }
  /// A 200 watch response that delivers `chunks` and ends.
  void QueueStreamChunks(std::vector<std::string> chunks);
  void QueueStreamError(Error error);

  const std::vector<std::string>& calls() const { return calls_; }
  /// Prefetch is recorded, not sent: each batch as its reads, "LIST
  /// group/resource ns" etc. (calls() does not show them), and a read is
  /// taken by the next Get, List or Create of the same object or collection
  /// with the same selectors or body. What no call took is unused.
  const std::vector<std::vector<std::string>>& prefetches() const { return prefetches_; }
  std::vector<std::string> UnusedPrefetches() const;
  void Prefetch(const std::vector<kube::PlannedRead>& reads) override;
  /// ApplyObjects applies one by one as the base class does, and records each
  /// batch as its objects ("APPLY group/resource ns/name").
  const std::vector<std::vector<std::string>>& apply_batches() const { return apply_batches_; }
  std::vector<Result<kube::AppliedObject>> ApplyObjects(const std::vector<kube::PlannedApply>& applies) override;
  /// WriteTogether writes one by one as the base class does, and records each
  /// batch ("PATCH ...", "APPLY ...", "DELETE ...").
  const std::vector<std::vector<std::string>>& write_batches() const { return write_batches_; }
  std::vector<Result<nlohmann::json>> WriteTogether(const std::vector<kube::PlannedWrite>& writes) override;
  /// The options of every ApplyObject call, in order (force, manager, dry run).
  const std::vector<kube::ApplyOptions>& applies() const { return applies_; }
  const std::vector<kube::HttpRequest>& stream_requests() const { return stream_requests_; }
  std::string resource_version() const { return std::to_string(version_); }
  /// Bumps the store's resourceVersion without an object change (other writers).
  void BumpVersion() { ++version_; }

  Result<kube::HttpResponse> Do(kube::HttpRequest request) override;
  Result<kube::HttpResponse> Stream(kube::HttpRequest request, const kube::ChunkSink& sink) override;
  Result<nlohmann::json> Get(const kube::ResourceRef& ref) override;
  Result<nlohmann::json> List(const kube::ResourceRef& ref, const kube::ListOptions& options) override;
  Result<nlohmann::json> Create(const kube::ResourceRef& ref, const nlohmann::json& object, bool dry_run) override;
  Result<kube::AppliedObject> ApplyObject(const kube::ResourceRef& ref, const nlohmann::json& object,
                                          const kube::ApplyOptions& options) override;
  Result<nlohmann::json> MergePatch(const kube::ResourceRef& ref, const nlohmann::json& patch, bool dry_run) override;
  /// Recorded as "JSONPATCH ..."; a failed "test" (or any operation that does not apply) is the server's 422.
  Result<nlohmann::json> JsonPatch(const kube::ResourceRef& ref, const nlohmann::json& operations,
                                   const std::string& field_manager) override;
  Result<nlohmann::json> Delete(const kube::ResourceRef& ref, const kube::DeleteOptions& options) override;

  /// The Error a real RestClient gives for an HTTP error status and Status body.
  static Error ErrorFromStatus(int code, const std::string& reason, const std::string& message);

 private:
  static std::string Key(const kube::ResourceRef& ref);
  std::optional<Error> TakeFailure(const std::string& verb, const std::string& name);
  void Record(const std::string& verb, const kube::ResourceRef& ref);
  /// Takes the prefetched read this call makes, if one is waiting.
  void TakePrefetched(const std::string& verb, const kube::ResourceRef& ref, const std::string& detail);
  static std::string Describe(const std::string& verb, const kube::ResourceRef& ref);

  std::map<std::string, nlohmann::json> objects_;
  struct Failure {
    std::string verb, name;
    Error error;
  };
  std::vector<Failure> failures_;
  std::deque<StreamScript> streams_;
  std::vector<std::string> calls_;
  std::vector<std::vector<std::string>> prefetches_;
  std::vector<std::vector<std::string>> apply_batches_;
  std::vector<std::vector<std::string>> write_batches_;
  std::vector<std::pair<std::string, std::string>> waiting_;  // (description, selectors or body)
  std::vector<kube::ApplyOptions> applies_;
  std::vector<kube::HttpRequest> stream_requests_;
  int64_t version_ = 100;
  int uids_ = 0;
};

}  // namespace llm::testing
