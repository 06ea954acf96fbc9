#include "workload/revision_record.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>

#include "kube/apply_set.h"
#include "kube/object_fields.h"
#include "util/base64.h"
#include "util/gzip.h"
#include "util/strings.h"

namespace llm {
namespace {

using nlohmann::json;

constexpr std::string_view kAnnotationPrefix = "revision.kubectl-llm.dev/";
constexpr std::string_view kPayloadApiVersion = "kubectl-llm.dev/v1alpha1";

std::string Key(std::string_view name) { return std::string(kAnnotationPrefix) + std::string(name); }

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

void CollectImages(const json& node, std::vector<std::string>& images, std::set<std::string>& seen) {
  if (node.is_array()) {
    for (const json& item : node) CollectImages(item, images, seen);
    return;
  }
  if (!node.is_object()) return;
  for (const char* list : {"initContainers", "containers"}) {
    auto it = node.find(list);
    if (it == node.end() || !it->is_array()) continue;
    for (const json& container : *it) {
      const std::string image = StringAt(container, {"image"});
      if (!image.empty() && seen.insert(image).second) images.push_back(image);
    }
  }
  for (const auto& [key, value] : node.items()) {
    if (key != "initContainers" && key != "containers") CollectImages(value, images, seen);
  }
}

/// Mutable and immutable fields alike: everything listing needs.
json AuditAnnotations(const RevisionAudit& audit) {
  json annotations = {
      {Key("user"), audit.user},
      {Key("groups"), Join(audit.groups)},
      {Key("started"), audit.started},
      {Key("context"), audit.context},
      {Key("server"), audit.server},
      {Key("command"), audit.command_line},
      {Key("version"), audit.plugin_version},
      {Key("digest"), audit.digest},
      {Key("images"), Join(audit.images)},
      {Key("change-cause"), audit.change_cause},
  };
  if (!audit.real_user.empty()) annotations[Key("real-user")] = audit.real_user;
  return annotations;
}

json StatusAnnotations(const RevisionAudit& audit) {
  return {{Key("finished"), audit.finished},
          {Key("wait"), audit.wait_outcome},
          {Key("reason"), audit.reason},
          {Key("description"), audit.description},
          {Key("lease-until"), audit.lease_until}};
}

}  // namespace

std::string_view RevisionStatusName(RevisionStatus status) {
  switch (status) {
    case RevisionStatus::kPending:
      return "pending";
    case RevisionStatus::kDeployed:
      return "deployed";
    case RevisionStatus::kSuperseded:
      return "superseded";
    case RevisionStatus::kFailed:
      return "failed";
    case RevisionStatus::kRolledBack:
      return "rolled-back";
  }
  return "pending";
}

std::optional<RevisionStatus> ParseRevisionStatus(std::string_view text) {
  for (RevisionStatus status : {RevisionStatus::kPending, RevisionStatus::kDeployed, RevisionStatus::kSuperseded,
                                RevisionStatus::kFailed, RevisionStatus::kRolledBack}) {
    if (RevisionStatusName(status) == text) return status;
  }
  return std::nullopt;
}

std::string RevisionSecretName(std::string_view workload, int number) {
  return fmt::format("kubectl-llm.{}.v{}", workload, number);
}

std::string RenderedDigest(const std::vector<json>& objects) { return kube::ManifestDigest(json(objects)); }

std::vector<std::string> ImageReferences(const std::vector<json>& objects) {
  std::vector<std::string> images;
  std::set<std::string> seen;
  for (const json& object : objects) CollectImages(object, images, seen);
  return images;
}

json RevisionSecret(const Revision& revision) {
  const RevisionAudit& audit = revision.audit;
  const json payload = {{"apiVersion", kPayloadApiVersion},
                        {"kind", "Revision"},
                        {"workload", audit.workload},
                        {"namespace", audit.ns},
                        {"revision", audit.number},
                        {"operation", audit.operation},
                        {"started", audit.started},
                        {"user", audit.user},
                        {"groups", audit.groups},
                        {"realUser", audit.real_user},
                        {"context", audit.context},
                        {"server", audit.server},
                        {"commandLine", audit.command_line},
                        {"pluginVersion", audit.plugin_version},
                        {"digest", audit.digest},
                        {"images", audit.images},
                        {"objects", revision.objects}};
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"type", kRevisionSecretType},
          {"immutable", true},
          {"metadata", RevisionMetadata(audit)},
          {"data", {{kRevisionPayloadKey, GzipJsonData(payload)}}}};
}

json RevisionMetadata(const RevisionAudit& audit) {
  json annotations = AuditAnnotations(audit);
  annotations.update(StatusAnnotations(audit));
  return {{"name", RevisionSecretName(audit.workload, audit.number)},
          {"namespace", audit.ns},
          {"labels",
           {{kRevisionOfLabel, audit.workload},
            {kRevisionNumberLabel, std::to_string(audit.number)},
            {kRevisionStatusLabel, RevisionStatusName(audit.status)},
            {kRevisionOperationLabel, audit.operation}}},
          {"annotations", annotations}};
}

json RevisionStatusPatch(const RevisionAudit& audit) {
  return {{"metadata",
           {{"labels", {{kRevisionStatusLabel, RevisionStatusName(audit.status)}}},
            {"annotations", StatusAnnotations(audit)}}}};
}

Result<RevisionAudit> ReadRevisionAudit(const json& object) {
  auto annotation = [&](std::string_view name) { return AnnotationOf(object, Key(name)); };
  RevisionAudit audit;
  audit.secret_name = NameOf(object);
  audit.ns = NamespaceOf(object);
  audit.workload = LabelOf(object, kRevisionOfLabel);
  if (audit.workload.empty()) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("Secret {}: label {} is missing", audit.secret_name, kRevisionOfLabel));
  }
  const std::string number = LabelOf(object, kRevisionNumberLabel);
  auto parsed = std::from_chars(number.data(), number.data() + number.size(), audit.number);
  if (parsed.ec != std::errc() || parsed.ptr != number.data() + number.size() || audit.number < 1) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("Secret {}: label {} must be a revision number (1 or more), got \"{}\"", audit.secret_name,
                             kRevisionNumberLabel, number));
  }
  const std::string status = LabelOf(object, kRevisionStatusLabel);
  std::optional<RevisionStatus> known = ParseRevisionStatus(status);
  if (!known) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("Secret {}: label {} must be pending, deployed, superseded, failed or rolled-back, got "
                             "\"{}\"",
                             audit.secret_name, kRevisionStatusLabel, status));
  }
  audit.status = *known;
  audit.operation = LabelOf(object, kRevisionOperationLabel);
  audit.user = annotation("user");
  audit.groups = Split(annotation("groups"));
  audit.real_user = annotation("real-user");
  audit.started = annotation("started");
  audit.finished = annotation("finished");
  audit.context = annotation("context");
  audit.server = annotation("server");
  audit.command_line = annotation("command");
  audit.plugin_version = annotation("version");
  audit.digest = annotation("digest");
  audit.images = Split(annotation("images"));
  audit.wait_outcome = annotation("wait");
  audit.reason = annotation("reason");
  audit.description = annotation("description");
  audit.lease_until = annotation("lease-until");
  audit.change_cause = annotation("change-cause");
  return audit;
}

std::string GzipJsonData(const json& document) { return Base64Encode(GzipCompress(document.dump())); }

size_t GzipDataBytes(const json& secret, std::string_view key) {
  return Base64Decode(StringAt(secret, {"data", std::string(key)})).value_or("").size();
}

Result<json> ReadGzipJsonData(const json& secret, std::string_view key) {
  const std::string name = NameOf(secret);
  const std::string encoded = StringAt(secret, {"data", std::string(key)});
  if (encoded.empty()) {
    return Error(ErrorKind::kInvalidInput, fmt::format("Secret {}: data.{} is missing", name, key));
  }
  std::optional<std::string> packed = Base64Decode(encoded);
  if (!packed) return Error(ErrorKind::kInvalidInput, fmt::format("Secret {}: data.{} is not base64", name, key));
  Result<std::string> text = GzipDecompress(*packed);
  if (!text.ok()) return text.error().WithContext(fmt::format("Secret {}: data.{}", name, key));
  return json::parse(*text, nullptr, false);
}

Result<std::vector<json>> ReadRevisionObjects(const json& secret) {
  LLM_ASSIGN_OR_RETURN(json payload, ReadGzipJsonData(secret, kRevisionPayloadKey));
  if (!payload.is_object() || !payload.contains("objects") || !payload["objects"].is_array()) {
    return Error(ErrorKind::kInvalidInput, fmt::format("Secret {}: data.{} holds no Revision with an objects list",
                                                       NameOf(secret), kRevisionPayloadKey));
  }
  return payload["objects"].get<std::vector<json>>();
}

Status CheckRevisionSize(const json& secret) {
  const std::string name = NameOf(secret);
  const size_t payload = GzipDataBytes(secret, kRevisionPayloadKey);
  if (payload > kMaxSecretDataBytes) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("revision {} would hold {} bytes of compressed objects, more than the {} bytes a Secret "
                             "may hold; nothing was applied (render it with `kubectl llm render` to see what is "
                             "that large)",
                             name, payload, kMaxSecretDataBytes));
  }
  size_t annotations = 0;
  const json none = json::object();
  const json* all = FindPath(secret, {"metadata", "annotations"});
  for (const auto& [key, value] : (all ? *all : none).items()) {
    annotations += key.size() + (value.is_string() ? value.get<std::string>().size() : 0);
  }
  if (annotations > kMaxAnnotationBytes) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("revision {} would carry {} bytes of annotations (its command line and image list), "
                             "more than the {} bytes an object may carry; nothing was applied",
                             name, annotations, kMaxAnnotationBytes));
  }
  return Ok();
}

}  // namespace llm
