#include "kube/apply_set.h"

#include <array>
#include <sstream>

#include <fmt/format.h>

#include "kube/object_fields.h"
#include "kube/sha256.h"
#include "util/base64.h"

namespace llm::kube {
namespace {
using nlohmann::json;

// RFC 4648 section 5 (URL-safe alphabet) without padding, Go's base64.RawURLEncoding.
std::string Base64UrlNoPad(std::string_view bytes) {
  std::string out = Base64Encode(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+')
      c = '-';
    else if (c == '/')
      c = '_';
  }
  return out;
}

std::vector<std::string> SplitComma(const std::string& value) {
  std::vector<std::string> parts;
  std::stringstream in(value);
  std::string part;
  while (std::getline(in, part, ',')) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

std::string Annotation(const json& object, const char* key, bool* present) {
  const json* annotations = nullptr;
  if (auto metadata = object.find("metadata"); metadata != object.end() && metadata->contains("annotations")) {
    annotations = &(*metadata)["annotations"];
  }
  if (annotations == nullptr || !annotations->is_object() || !annotations->contains(key) ||
      !(*annotations)[key].is_string()) {
    *present = false;
    return "";
  }
  *present = true;
  return (*annotations)[key].get<std::string>();
}

std::string Label(const json& object, const char* key) {
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->contains("labels")) return "";
  const json& labels = (*metadata)["labels"];
  return labels.is_object() && labels.contains(key) && labels[key].is_string() ? labels[key].get<std::string>() : "";
}
}  // namespace

std::string ApplySetId(const std::string& name, const std::string& ns, const std::string& kind,
                       const std::string& group) {
  const std::string unencoded = name + "." + ns + "." + kind + "." + group;
  const std::array<unsigned char, 32> digest = Sha256(unencoded);
  return "applyset-" + Base64UrlNoPad(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())) +
         "-v1";
}

std::string ApplySetTooling(const std::string& version) {
  // The KEP's form is NAME/SEMVER with one leading "v" (kubectl/v1.27.0),
  // whether or not the build's version string already has it.
  return std::string(kApplySetToolName) + "/" + (version.starts_with('v') ? "" : "v") + version;
}

std::string FormatGroupKinds(const std::set<GroupKind>& group_kinds) {
  std::set<std::string> sorted;  // sorted as strings, the form the KEP asks to keep sorted
  for (const GroupKind& group_kind : group_kinds) sorted.insert(group_kind.ToString());
  return fmt::format("{}", fmt::join(sorted, ","));
}

Result<std::set<GroupKind>> ParseGroupKinds(const std::string& value) {
  std::set<GroupKind> out;
  for (const std::string& part : SplitComma(value)) {
    auto dot = part.find('.');
    GroupKind group_kind{dot == std::string::npos ? "" : part.substr(dot + 1), part.substr(0, dot)};
    if (group_kind.kind.empty() || (dot != std::string::npos && group_kind.group.empty())) {
      return Error(ErrorKind::kInvalid,
                   fmt::format("annotation {}: \"{}\" is not Kind.group", kApplySetGroupKindsAnnotation, part));
    }
    out.insert(std::move(group_kind));
  }
  return out;
}

std::string FormatNamespaces(const std::set<std::string>& namespaces) {
  return fmt::format("{}", fmt::join(namespaces, ","));
}

std::set<std::string> ParseNamespaces(const std::string& value) {
  std::vector<std::string> parts = SplitComma(value);
  return {parts.begin(), parts.end()};
}

std::string MemberKey(const GroupKind& group_kind, const std::string& ns, const std::string& name) {
  return group_kind.ToString() + "/" + ns + "/" + name;
}

std::optional<GroupKind> MemberKeyGroupKind(const std::string& key) {
  const size_t slash = key.find('/');
  if (slash == 0 || slash == std::string::npos || key.find('/', slash + 1) == std::string::npos) return std::nullopt;
  const std::string group_kind = key.substr(0, slash);
  const size_t dot = group_kind.find('.');
  if (dot == std::string::npos) return GroupKind{"", group_kind};
  return GroupKind{group_kind.substr(dot + 1), group_kind.substr(0, dot)};
}

std::string ManifestDigest(const json& object) {
  const std::string text = object.dump();  // nlohmann::json keeps keys sorted: one text per object
  const std::array<unsigned char, 32> digest = Sha256(text);
  return Base64UrlNoPad(std::string_view(reinterpret_cast<const char*>(digest.data()), 16));
}

namespace {
std::string FormatMembers(const MemberRecords& members) {
  json out = json::object();
  for (const auto& [key, record] : members) out[key] = {{"digest", record.digest}, {"applied", record.applied}};
  return out.dump();
}

// A record that cannot be read is treated as absent: the applier then reads
// and lists as if no record had ever been written, which is always safe.
std::optional<MemberRecords> ParseMembers(const std::string& value) {
  const json parsed = json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return std::nullopt;
  MemberRecords members;
  for (const auto& [key, record] : parsed.items()) {
    if (!MemberKeyGroupKind(key) || !record.is_object() || !record.contains("digest") ||
        !record["digest"].is_string() || !record.contains("applied") || !record["applied"].is_string()) {
      return std::nullopt;
    }
    members[key] = MemberRecord{record["digest"].get<std::string>(), record["applied"].get<std::string>()};
  }
  return members;
}
}  // namespace

Result<ApplySetParentState> ReadParent(const json& live_parent, const std::string& id) {
  const std::string name = live_parent.value("/metadata/name"_json_pointer, std::string());
  const std::string ref = "secrets/" + name;
  const std::string live_id = Label(live_parent, kApplySetIdLabel);
  if (live_id.empty()) {
    return Error(ErrorKind::kConflict, fmt::format("ApplySet parent object \"{}\" exists and does not have required "
                                                   "label {}",
                                                   ref, kApplySetIdLabel));
  }
  if (live_id != id) {
    return Error(ErrorKind::kConflict,
                 fmt::format("ApplySet parent object \"{}\" exists and has incorrect value for label {} (got: {}, "
                             "want: {})",
                             ref, kApplySetIdLabel, live_id, id));
  }
  bool present = false;
  const std::string tooling = Annotation(live_parent, kApplySetToolingAnnotation, &present);
  if (!present) {
    return Error(ErrorKind::kConflict, fmt::format("ApplySet parent object \"{}\" already exists and is missing "
                                                   "required annotation {}",
                                                   ref, kApplySetToolingAnnotation));
  }
  if (tooling.rfind(std::string(kApplySetToolName) + "/", 0) != 0) {
    return Error(ErrorKind::kConflict,
                 fmt::format("ApplySet parent object \"{}\" already exists and is managed by tooling \"{}\" instead "
                             "of \"{}\"",
                             ref, tooling, kApplySetToolName));
  }
  ApplySetParentState state;
  LLM_ASSIGN_OR_RETURN(state.group_kinds,
                       ParseGroupKinds(Annotation(live_parent, kApplySetGroupKindsAnnotation, &present)));
  state.additional_namespaces = ParseNamespaces(Annotation(live_parent, kApplySetNamespacesAnnotation, &present));
  const std::string members = Annotation(live_parent, kApplySetMembersAnnotation, &present);
  if (present) state.members = ParseMembers(members);
  return state;
}

json BuildParentSecret(const std::string& name, const std::string& ns, const std::string& tooling,
                       const ApplySetParentState& state) {
  json annotations = {{kApplySetToolingAnnotation, tooling},
                      {kApplySetGroupKindsAnnotation, FormatGroupKinds(state.group_kinds)}};
  // The KEP reserves the empty value, so the annotation is left out instead.
  if (!state.additional_namespaces.empty()) {
    annotations[kApplySetNamespacesAnnotation] = FormatNamespaces(state.additional_namespaces);
  }
  if (state.members) annotations[kApplySetMembersAnnotation] = FormatMembers(*state.members);
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"metadata",
           {{"name", name},
            {"namespace", ns},
            {"labels", {{kApplySetIdLabel, ApplySetId(name, ns, "Secret", "")}}},
            {"annotations", annotations}}}};
}

Status LabelMember(json& object, const std::string& id) {
  json& metadata = object["metadata"];
  if (!metadata.is_object()) return Error(ErrorKind::kInvalidInput, "metadata must be an object");
  json& labels = metadata["labels"];
  if (labels.is_null()) labels = json::object();
  if (!labels.is_object()) return Error(ErrorKind::kInvalidInput, "metadata.labels must be an object");
  if (auto it = labels.find(kApplySetPartOfLabel); it != labels.end() && *it != id) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("{} \"{}\" already has label {}={}: it belongs to another ApplySet",
                             object.value("kind", "object"), metadata.value("name", ""), kApplySetPartOfLabel,
                             it->is_string() ? it->get<std::string>() : it->dump()));
  }
  labels[kApplySetPartOfLabel] = id;
  return Ok();
}

std::vector<json> SelectPrunable(const std::vector<json>& listed, const std::string& id,
                                 const std::set<std::string>& applied_uids) {
  std::vector<json> prunable;
  for (const json& object : listed) {
    if (Label(object, kApplySetPartOfLabel) != id) continue;  // never trust the selector alone
    const json* deleting = FindPath(object, {"metadata", "deletionTimestamp"});
    if (deleting && !deleting->is_null()) continue;
    if (applied_uids.count(StringAt(object, {"metadata", "uid"})) != 0) continue;
    prunable.push_back(object);
  }
  return prunable;
}

}  // namespace llm::kube
