#include "fakes/fake_rest_client.h"

#include <sstream>

#include "kube/api_proxy.h"
#include "kube/api_status.h"

namespace llm::testing {
namespace {
using nlohmann::json;

json WithoutServerFields(json object) {
  if (object.contains("metadata")) {
    for (const char* field : {"uid", "resourceVersion", "generation", "creationTimestamp", "managedFields"}) {
      object["metadata"].erase(field);
    }
  }
  object.erase("status");
  return object;
}

bool MatchesLabels(const json& object, const std::string& selector) {
  std::stringstream in(selector);
  std::string term;
  while (std::getline(in, term, ',')) {
    auto eq = term.find('=');
    if (eq == std::string::npos) return false;  // only equality selectors are modelled
    const std::string key = term.substr(0, eq), value = term.substr(eq + 1);
    const json labels = object.value("/metadata/labels"_json_pointer, json::object());
    if (!labels.contains(key) || labels[key] != value) return false;
  }
  return true;
}

bool MatchesFields(const json& object, const std::string& selector) {
  if (selector.empty()) return true;
  const std::string prefix = "metadata.name=";
  if (selector.rfind(prefix, 0) != 0) return false;
  return object.value("/metadata/name"_json_pointer, std::string()) == selector.substr(prefix.size());
}
}  // namespace

Error FakeRestClient::ErrorFromStatus(int code, const std::string& reason, const std::string& message) {
  kube::ApiStatus status;
  status.code = code;
  status.reason = reason;
  status.message = message;
  return kube::ErrorFromStatus(status);  // the real client's mapping and messages
}

std::string FakeRestClient::Key(const kube::ResourceRef& ref) {
  return ref.group + "/" + ref.resource + "/" + ref.ns + "/" + ref.name;
}

std::string FakeRestClient::Describe(const std::string& verb, const kube::ResourceRef& ref) {
  std::string where = ref.ns.empty() ? ref.name : ref.name.empty() ? ref.ns : ref.ns + "/" + ref.name;
  return verb + " " + ref.GroupResource() + (where.empty() ? "" : " " + where);
}

void FakeRestClient::Record(const std::string& verb, const kube::ResourceRef& ref) {
  calls_.push_back(Describe(verb, ref));
}

namespace {
std::string Selectors(const kube::ListOptions& options) {
  return options.label_selector + "|" + options.field_selector;
}
}  // namespace

void FakeRestClient::Prefetch(const std::vector<kube::PlannedRead>& reads) {
  std::vector<std::string> batch;
  for (const kube::PlannedRead& read : reads) {
    std::string description, detail;
    switch (read.verb) {
      case kube::PlannedRead::Verb::kGet:
        description = Describe("GET", read.ref);
        break;
      case kube::PlannedRead::Verb::kList:
        description = Describe("LIST", read.ref);
        detail = Selectors(read.list);
        break;
      case kube::PlannedRead::Verb::kCreate:
        description = Describe("CREATE", read.ref);
        detail = read.body.dump();
        break;
    }
    batch.push_back(description);
    waiting_.emplace_back(description, detail);
  }
  prefetches_.push_back(std::move(batch));
}

std::vector<Result<kube::AppliedObject>> FakeRestClient::ApplyObjects(const std::vector<kube::PlannedApply>& applies) {
  std::vector<std::string> batch;
  for (const kube::PlannedApply& apply : applies) {
    kube::ResourceRef ref = apply.ref;
    if (ref.name.empty()) ref.name = apply.object.value("/metadata/name"_json_pointer, std::string());
    batch.push_back(Describe("APPLY", ref));
  }
  apply_batches_.push_back(std::move(batch));
  return RestClient::ApplyObjects(applies);
}

std::vector<Result<nlohmann::json>> FakeRestClient::WriteTogether(const std::vector<kube::PlannedWrite>& writes) {
  std::vector<std::string> batch;
  for (const kube::PlannedWrite& write : writes) {
    kube::ResourceRef ref = write.ref;
    if (ref.name.empty()) ref.name = write.body.value("/metadata/name"_json_pointer, std::string());
    switch (write.verb) {
      case kube::PlannedWrite::Verb::kMergePatch:
      case kube::PlannedWrite::Verb::kJsonPatch:
        batch.push_back(Describe("PATCH", ref));
        break;
      case kube::PlannedWrite::Verb::kApply:
        batch.push_back(Describe("APPLY", ref));
        break;
      case kube::PlannedWrite::Verb::kDelete:
        batch.push_back(Describe("DELETE", ref));
        break;
    }
  }
  write_batches_.push_back(std::move(batch));
  return RestClient::WriteTogether(writes);
}

void FakeRestClient::TakePrefetched(const std::string& verb, const kube::ResourceRef& ref, const std::string& detail) {
  const std::string description = Describe(verb, ref);
  for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
    if (it->first == description && it->second == detail) {
      waiting_.erase(it);
      return;
    }
  }
}

std::vector<std::string> FakeRestClient::UnusedPrefetches() const {
  std::vector<std::string> unused;
  for (const auto& [description, detail] : waiting_) unused.push_back(description);
  return unused;
}

std::optional<Error> FakeRestClient::TakeFailure(const std::string& verb, const std::string& name) {
  for (auto it = failures_.begin(); it != failures_.end(); ++it) {
    if (it->verb == verb && (it->name.empty() || it->name == name)) {
      Error error = it->error;
      failures_.erase(it);
      return error;
    }
  }
  return std::nullopt;
}

void FakeRestClient::FailNext(const std::string& verb, Error error, const std::string& name) {
  failures_.push_back(Failure{verb, name, std::move(error)});
}

json FakeRestClient::Put(const kube::ResourceRef& ref, json object) {
  json& metadata = object["metadata"];
  if (!metadata.contains("uid")) metadata["uid"] = "uid-" + std::to_string(++uids_);
  metadata["resourceVersion"] = std::to_string(++version_);
  if (!metadata.contains("generation")) metadata["generation"] = 1;
  metadata["name"] = ref.name;
  if (!ref.ns.empty()) metadata["namespace"] = ref.ns;
  objects_[Key(ref)] = object;
  return object;
}

std::optional<json> FakeRestClient::Find(const kube::ResourceRef& ref) const {
  auto it = objects_.find(Key(ref));
  if (it == objects_.end()) return std::nullopt;
  return it->second;
}

void FakeRestClient::QueueStreamChunks(std::vector<std::string> chunks) {
  QueueStream([chunks = std::move(chunks)](const kube::HttpRequest&,
                                           const kube::ChunkSink& sink) -> Result<kube::HttpResponse> {
    for (const std::string& chunk : chunks) {
      if (!sink(chunk)) break;
    }
    return kube::HttpResponse{200, {{"Content-Type", "application/json"}}, ""};
  });
}

void FakeRestClient::QueueStreamError(Error error) {
  QueueStream(
      [error](const kube::HttpRequest&, const kube::ChunkSink&) -> Result<kube::HttpResponse> { return error; });
}

Result<kube::HttpResponse> FakeRestClient::Do(kube::HttpRequest request) {
  LLM_ASSIGN_OR_RETURN(kube::HttpResponse response, routes.Do(request));
  const bool from_backend = kube::IsProxyPath(request.path) && !kube::ParseApiStatus(response.body);
  if (response.status >= 400 && !from_backend) {
    return kube::ErrorFromStatus(kube::StatusForResponse(response, request.method, nullptr));
  }
  return response;
}

Result<kube::HttpResponse> FakeRestClient::Stream(kube::HttpRequest request, const kube::ChunkSink& sink) {
  stream_requests_.push_back(request);
  if (streams_.empty()) return Error(ErrorKind::kInternal, "FakeRestClient: no stream scripted for " + request.path);
  StreamScript script = std::move(streams_.front());
  streams_.pop_front();
  return script(request, sink);
}

Result<json> FakeRestClient::Get(const kube::ResourceRef& ref) {
  Record("GET", ref);
  TakePrefetched("GET", ref, "");
  if (auto failure = TakeFailure("GET", ref.name)) return *failure;
  auto found = Find(ref);
  if (!found) return ErrorFromStatus(404, "NotFound", ref.GroupResource() + " \"" + ref.name + "\" not found");
  return *found;
}

Result<json> FakeRestClient::List(const kube::ResourceRef& ref, const kube::ListOptions& options) {
  Record("LIST", ref);
  TakePrefetched("LIST", ref, Selectors(options));
  if (auto failure = TakeFailure("LIST", ref.name)) return *failure;
  json items = json::array();
  std::string kind;
  for (const auto& [key, object] : objects_) {
    const std::string prefix = ref.group + "/" + ref.resource + "/";
    if (key.rfind(prefix, 0) != 0) continue;
    if (!ref.ns.empty() && object.value("/metadata/namespace"_json_pointer, std::string()) != ref.ns) continue;
    if (!MatchesLabels(object, options.label_selector) || !MatchesFields(object, options.field_selector)) continue;
    json item = object;
    if (kind.empty()) kind = item.value("kind", "");
    item.erase("kind");  // a built-in List's items carry no kind
    item.erase("apiVersion");
    if (options.keep_item && !options.keep_item(item)) continue;
    items.push_back(std::move(item));
  }
  return json{{"kind", kind + "List"},
              {"apiVersion", ref.group.empty() ? ref.version : ref.group + "/" + ref.version},
              {"metadata", {{"resourceVersion", resource_version()}}},
              {"items", items}};
}

Result<json> FakeRestClient::Create(const kube::ResourceRef& ref, const json& object, bool dry_run) {
  Record("CREATE", ref);
  TakePrefetched("CREATE", ref, object.dump());
  if (auto failure = TakeFailure("CREATE", ref.name)) return *failure;
  if (Find(ref))
    return ErrorFromStatus(409, "AlreadyExists", ref.GroupResource() + " \"" + ref.name + "\" already exists");
  if (dry_run) return object;
  return Put(ref, object);
}

Result<kube::AppliedObject> FakeRestClient::ApplyObject(const kube::ResourceRef& ref, const json& object,
                                                        const kube::ApplyOptions& options) {
  Record(options.dry_run ? "APPLY(dry-run)" : "APPLY", ref);
  applies_.push_back(options);
  if (auto failure = TakeFailure("APPLY", ref.name)) return *failure;
  if (options.field_manager.empty()) {
    return ErrorFromStatus(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value");
  }
  auto live = Find(ref);
  json merged = object;
  merged["metadata"]["name"] = ref.name;
  if (!ref.ns.empty()) merged["metadata"]["namespace"] = ref.ns;
  if (live) {
    if (WithoutServerFields(*live) == WithoutServerFields(merged))
      return kube::AppliedObject{*live, false};  // a no-op apply writes nothing
    for (const char* field : {"uid", "creationTimestamp"}) {
      if ((*live)["metadata"].contains(field)) merged["metadata"][field] = (*live)["metadata"][field];
    }
    merged["metadata"]["generation"] = live->value("/metadata/generation"_json_pointer, 1) + 1;
    if (live->contains("status")) merged["status"] = (*live)["status"];
  } else {
    merged["metadata"]["creationTimestamp"] = now;
  }
  // The applying manager's entry is stamped with the time of this change; others keep theirs.
  json managed = json::array();
  if (live) {
    for (const json& entry : live->value("/metadata/managedFields"_json_pointer, json::array())) {
      if (entry.value("manager", "") != options.field_manager || entry.value("operation", "") != "Apply") {
        managed.push_back(entry);
      }
    }
  }
  managed.push_back({{"manager", options.field_manager}, {"operation", "Apply"}, {"time", now}});
  merged["metadata"]["managedFields"] = managed;
  if (options.dry_run) {
    if (live)
      merged["metadata"]["resourceVersion"] = (*live)["metadata"]["resourceVersion"];
    else
      merged["metadata"]["uid"] = "dry-run-uid";
    return kube::AppliedObject{merged, !live};
  }
  json stored = Put(ref, merged);
  if (after_apply) {
    after_apply(ref, stored);
    objects_[Key(ref)] = stored;
  }
  return kube::AppliedObject{stored, !live};
}

Result<json> FakeRestClient::MergePatch(const kube::ResourceRef& ref, const json& patch, bool dry_run) {
  Record("PATCH", ref);
  if (auto failure = TakeFailure("PATCH", ref.name)) return *failure;
  auto live = Find(ref);
  if (!live) return ErrorFromStatus(404, "NotFound", ref.GroupResource() + " \"" + ref.name + "\" not found");
  live->merge_patch(patch);
  if (dry_run) return *live;
  return Put(ref, *live);
}

Result<json> FakeRestClient::JsonPatch(const kube::ResourceRef& ref, const json& operations,
                                       const std::string& field_manager) {
  (void)field_manager;
  Record("JSONPATCH", ref);
  if (auto failure = TakeFailure("JSONPATCH", ref.name)) return *failure;
  auto live = Find(ref);
  if (!live) return ErrorFromStatus(404, "NotFound", ref.GroupResource() + " \"" + ref.name + "\" not found");
  json patched;
  try {
    patched = live->patch(operations);
  } catch (const json::exception& e) {
    return ErrorFromStatus(422, "Invalid",
                           "the server rejected our request due to an error in our request: " + std::string(e.what()));
  }
  return Put(ref, std::move(patched));
}

Result<json> FakeRestClient::Delete(const kube::ResourceRef& ref, const kube::DeleteOptions& options) {
  Record(options.dry_run ? "DELETE(dry-run)" : "DELETE", ref);
  if (auto failure = TakeFailure("DELETE", ref.name)) return *failure;
  auto live = Find(ref);
  if (!live) return ErrorFromStatus(404, "NotFound", ref.GroupResource() + " \"" + ref.name + "\" not found");
  if (!options.dry_run) {
    objects_.erase(Key(ref));
    ++version_;
  }
  return *live;
}

}  // namespace llm::testing
