// RestClient: the verbs every command uses, on top of a Transport. It adds
// credentials, the User-Agent, -v logging with secrets redacted, retries,
// client-side rate limiting, Warning headers, and turns error responses into
// kubectl-shaped Errors (api_status). Implemented in rest_client_impl.cpp;
// commands get one through ClusterSession::Open (commands/cluster_session.h),
// which calls client_factory.h's kube::Connect.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kube/resource_ref.h"
#include "kube/transport.h"
#include "util/result.h"

namespace llm::kube {

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 500;           ///< page size; 0 asks for everything at once
  std::string resource_version;  ///< "" = most recent
  /// Called on each item as its page arrives, before the next page is read:
  /// it may cut the item down in place (client-go's informer TransformFunc),
  /// and false drops it. A caller that needs a few fields of thousands of
  /// objects then never holds the whole list: a parsed Node is tens of KiB.
  /// Empty: every item as sent.
  std::function<bool(nlohmann::json& item)> keep_item;
};

/// ListOptions::keep_item over the items of one List response (a page).
void KeepListedItems(nlohmann::json& page, const ListOptions& options);

struct ApplyOptions {
  std::string field_manager = "kubectl-llm";
  bool force = false;    ///< take ownership of conflicting fields
  bool dry_run = false;  ///< dryRun=All
  std::string field_validation = "Strict";
};

/// What a server-side apply answered.
struct AppliedObject {
  nlohmann::json object;  ///< the object as the server now holds it
  bool created = false;   ///< 201 Created: the apply made the object (200: it existed)
};

/// One server-side apply of several sent together (RestClient::ApplyObjects).
struct PlannedApply {
  ResourceRef ref;
  nlohmann::json object;
  ApplyOptions options;
};

struct DeleteOptions {
  std::string propagation_policy = "Background";  ///< Foreground, Background, Orphan
  bool dry_run = false;
  std::optional<int64_t> grace_period_seconds;
};

/// A read a command is about to make, described as the call that makes it
/// takes it: Get(ref), the first page of List(ref, list), or Create(ref, body)
/// of a review (SelfSubjectReview, SelfSubjectRulesReview: written nowhere).
struct PlannedRead {
  enum class Verb { kGet, kList, kCreate };
  Verb verb = Verb::kGet;
  ResourceRef ref;
  ListOptions list;
  bool metadata_only = false;  ///< a List read as ForEachListPage's ListItems::kMetadataOnly
  nlohmann::json body;

  static PlannedRead Get(ResourceRef ref) { return {Verb::kGet, std::move(ref), {}, false, {}}; }
  static PlannedRead List(ResourceRef ref, ListOptions list, bool metadata_only = false) {
    return {Verb::kList, std::move(ref), std::move(list), metadata_only, {}};
  }
  static PlannedRead Review(ResourceRef ref, nlohmann::json body) {
    return {Verb::kCreate, std::move(ref), {}, false, std::move(body)};
  }
};

/// A write a command sends with others that do not depend on it
/// (RestClient::WriteTogether): a merge patch, a JSON patch, a server-side
/// apply or a delete.
struct PlannedWrite {
  enum class Verb { kMergePatch, kJsonPatch, kApply, kDelete };
  Verb verb = Verb::kMergePatch;
  ResourceRef ref;
  nlohmann::json body;  ///< the merge patch, the JSON patch's operations, or the object applied
  ApplyOptions apply;   ///< an apply's options; its field_manager is also a JSON patch's
  DeleteOptions remove;

  static PlannedWrite MergePatch(ResourceRef ref, nlohmann::json patch) {
    return {Verb::kMergePatch, std::move(ref), std::move(patch), {}, {}};
  }
  static PlannedWrite JsonPatch(ResourceRef ref, nlohmann::json operations, std::string field_manager) {
    ApplyOptions manager;
    manager.field_manager = std::move(field_manager);
    return {Verb::kJsonPatch, std::move(ref), std::move(operations), std::move(manager), {}};
  }
  static PlannedWrite Apply(ResourceRef ref, nlohmann::json object, ApplyOptions options) {
    return {Verb::kApply, std::move(ref), std::move(object), std::move(options), {}};
  }
  static PlannedWrite Delete(ResourceRef ref, DeleteOptions options) {
    return {Verb::kDelete, std::move(ref), {}, {}, std::move(options)};
  }
};

class RestClient {
 public:
  virtual ~RestClient() = default;

  /// One request through the whole pipeline (auth, logging, retries, errors).
  /// Error statuses become Errors; 2xx responses are returned.
  virtual Result<HttpResponse> Do(HttpRequest request) = 0;
  /// Streaming variant for watches and followed logs.
  virtual Result<HttpResponse> Stream(HttpRequest request, const ChunkSink& sink) = 0;

  virtual Result<nlohmann::json> Get(const ResourceRef& ref) = 0;
  /// Follows `continue` tokens and returns one List with every item.
  virtual Result<nlohmann::json> List(const ResourceRef& ref, const ListOptions& options) = 0;
  virtual Result<nlohmann::json> Create(const ResourceRef& ref, const nlohmann::json& object, bool dry_run) = 0;
  /// Server-side apply: PATCH with application/apply-patch+yaml.
  virtual Result<AppliedObject> ApplyObject(const ResourceRef& ref, const nlohmann::json& object,
                                            const ApplyOptions& options) = 0;
  /// Server-side applies that do not depend on each other, sent together
  /// (Transport::DoAll: over HTTP/2 one round trip for all); each answer is
  /// then handled exactly as ApplyObject handles its own (errors, warnings,
  /// retries of what was refused), and comes back in the order given. Every
  /// apply is sent, whatever the others answer. Clients that cannot send
  /// together (test fakes, wrappers) apply one after another.
  virtual std::vector<Result<AppliedObject>> ApplyObjects(const std::vector<PlannedApply>& applies) {
    std::vector<Result<AppliedObject>> answers;
    answers.reserve(applies.size());
    for (const PlannedApply& apply : applies) answers.push_back(ApplyObject(apply.ref, apply.object, apply.options));
    return answers;
  }
  /// Writes that do not depend on each other, sent together as ApplyObjects
  /// sends its applies (one round trip over HTTP/2), each answer handled as
  /// MergePatch, JsonPatch, Apply or Delete handles its own; in the order
  /// given, every write sent whatever the others answer. Clients that cannot
  /// send together write one after another.
  virtual std::vector<Result<nlohmann::json>> WriteTogether(const std::vector<PlannedWrite>& writes) {
    std::vector<Result<nlohmann::json>> answers;
    answers.reserve(writes.size());
    for (const PlannedWrite& write : writes) {
      switch (write.verb) {
        case PlannedWrite::Verb::kMergePatch:
          answers.push_back(MergePatch(write.ref, write.body, /*dry_run=*/false));
          break;
        case PlannedWrite::Verb::kJsonPatch:
          answers.push_back(JsonPatch(write.ref, write.body, write.apply.field_manager));
          break;
        case PlannedWrite::Verb::kApply:
          answers.push_back(Apply(write.ref, write.body, write.apply));
          break;
        case PlannedWrite::Verb::kDelete:
          answers.push_back(Delete(write.ref, write.remove));
          break;
      }
    }
    return answers;
  }
  /// WriteTogether, with `reads` sent in the same round trip and kept as
  /// Prefetch keeps them, for the calls that make them next. For reads that
  /// do not depend on the writes: the server may answer them before or after
  /// the writes. Clients that cannot send together prefetch, then write.
  virtual std::vector<Result<nlohmann::json>> WriteTogetherPrefetching(const std::vector<PlannedWrite>& writes,
                                                                       const std::vector<PlannedRead>& reads) {
    Prefetch(reads);
    return WriteTogether(writes);
  }
  /// ApplyObject for callers that need only the object.
  Result<nlohmann::json> Apply(const ResourceRef& ref, const nlohmann::json& object, const ApplyOptions& options) {
    LLM_ASSIGN_OR_RETURN(AppliedObject applied, ApplyObject(ref, object, options));
    return std::move(applied.object);
  }
  virtual Result<nlohmann::json> MergePatch(const ResourceRef& ref, const nlohmann::json& patch, bool dry_run) = 0;
  /// A JSON Patch (RFC 6902: application/json-patch+json) by `field_manager`.
  /// Its "test" operations make it conditional: one that fails changes
  /// nothing and comes back as kInvalid (422).
  virtual Result<nlohmann::json> JsonPatch(const ResourceRef& ref, const nlohmann::json& operations,
                                           const std::string& field_manager) = 0;
  /// NotFound comes back as an Error of kind kNotFound, with kubectl's message.
  virtual Result<nlohmann::json> Delete(const ResourceRef& ref, const DeleteOptions& options) = 0;

  /// "Warning: TEXT" on the command's stderr, once per distinct text, as the
  /// server's Warning headers are printed: for what a caller meets on the way
  /// that does not stop it (a watch's ERROR event). Clients without a warning
  /// stream (test fakes) drop it.
  virtual void Warn(const std::string& text) { (void)text; }

  /// Sends reads that do not depend on each other together (Transport::DoAll:
  /// over HTTP/2 one round trip for all, instead of one each) and keeps each
  /// answer for the call that makes that same request next, which takes it
  /// instead of asking again; that call still does everything else as usual
  /// (errors, warnings, a retry of what was refused). A failed read is not
  /// kept (its call asks again, and an answer kept from an earlier read of the
  /// same is dropped: the call never takes one older than what was asked
  /// last), an answer no call takes is dropped, and a write never takes one.
  /// Clients that cannot send together (test fakes) do nothing: each call
  /// asks for itself.
  virtual void Prefetch(const std::vector<PlannedRead>& reads) { (void)reads; }
};

}  // namespace llm::kube
