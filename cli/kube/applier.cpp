#include "kube/applier.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "kube/install_order.h"
#include "kube/wait_condition.h"

namespace llm::kube {
namespace {
using nlohmann::json;

std::string Describe(const json& object) {
  const json& metadata = object.value("metadata", json::object());
  std::string where = metadata.value("namespace", "");
  return fmt::format("{} \"{}\"{}", object.value("kind", "object"), metadata.value("name", ""),
                     where.empty() ? "" : " in namespace \"" + where + "\"");
}

Status Validate(const json& object, size_t index) {
  const std::string at = fmt::format("object #{}", index + 1);
  if (!object.is_object()) return Error(ErrorKind::kInvalidInput, at + ": not an object");
  for (const char* field : {"apiVersion", "kind"}) {
    if (!object.contains(field) || !object[field].is_string() || object[field].get<std::string>().empty()) {
      return Error(ErrorKind::kInvalidInput, fmt::format("{}: {} is required", at, field));
    }
  }
  const json* name = object.contains("metadata") && object["metadata"].is_object() &&
                             object["metadata"].contains("name")
                         ? &object["metadata"]["name"]
                         : nullptr;
  if (name == nullptr || !name->is_string() || name->get<std::string>().empty()) {
    return Error(ErrorKind::kInvalidInput, fmt::format("{} ({}): metadata.name is required", at,
                                                       object["kind"].get<std::string>()));
  }
  const json& metadata = object["metadata"];
  if (metadata.contains("namespace") && !metadata["namespace"].is_string()) {
    return Error(ErrorKind::kInvalidInput, fmt::format("{} ({} \"{}\"): metadata.namespace must be a string", at,
                                                       object["kind"].get<std::string>(), name->get<std::string>()));
  }
  return Ok();
}

// The live object and the dry-run answer, without what a no-op dry run may still change.
json Comparable(json object) {
  if (object.contains("metadata") && object["metadata"].is_object()) {
    for (const char* field : {"resourceVersion", "generation", "managedFields"}) object["metadata"].erase(field);
  }
  return object;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool IsCrd(const json& object) {
  return object.value("kind", "") == "CustomResourceDefinition" &&
         GroupKindOf(object.value("apiVersion", ""), "").group == "apiextensions.k8s.io";
}
}  // namespace

std::string_view ActionVerb(ApplyAction action) {
  switch (action) {
    case ApplyAction::kCreated: return "created";
    case ApplyAction::kConfigured: return "configured";
    case ApplyAction::kUnchanged: return "unchanged";
    case ApplyAction::kPruned: return "pruned";
  }
  return "";
}

std::string FormatResult(const ObjectResult& result, bool dry_run) {
  std::string type = Lower(result.kind);
  if (!result.ref.group.empty()) type += "." + result.ref.group;
  return fmt::format("{}/{} {}{}", type, result.ref.name, ActionVerb(result.action), dry_run ? " (server dry run)" : "");
}

Status Applier::WriteParent(const ApplySetRef& set, const ApplySetParentState& state, const ApplierOptions& options) {
  ResourceRef ref{"", "v1", "secrets", set.ns, set.name, ""};
  ApplyOptions apply;
  apply.field_manager = options.field_manager;
  apply.dry_run = options.dry_run;
  apply.force = false;  // the KEP: never force on the parent
  auto applied = client_.Apply(ref, BuildParentSecret(set.name, set.ns, options.tooling, state), apply);
  if (!applied.ok()) return applied.error().WithContext("writing ApplySet parent secret \"" + set.name + "\"");
  return Ok();
}

Result<ObjectResult> Applier::ApplyOne(json object, const ApplierOptions& options) {
  const std::string api_version = object["apiVersion"].get<std::string>();
  const std::string kind = object["kind"].get<std::string>();
  auto mapping = mapper_.Map(api_version, kind);
  if (!mapping.ok()) {
    if (mapping.error().kind() == ErrorKind::kNotFound) {
      return mapping.error().WithContext("resource mapping not found for " + Describe(object) +
                                         " (ensure CRDs are installed first)");
    }
    return mapping.error();
  }
  ObjectResult result;
  result.kind = kind;
  result.ref = mapping->resource;
  json& metadata = object["metadata"];
  if (mapping->namespaced) {
    if (!metadata.contains("namespace") || metadata["namespace"].get<std::string>().empty()) {
      if (options.default_namespace.empty()) {
        return Error(ErrorKind::kInvalidInput, Describe(object) + ": namespaced, and no namespace was given");
      }
      metadata["namespace"] = options.default_namespace;
    }
    result.ref.ns = metadata["namespace"].get<std::string>();
  } else {
    metadata.erase("namespace");  // as kubectl: a namespace on a cluster-scoped object is ignored
  }
  result.ref.name = metadata["name"].get<std::string>();

  std::optional<json> live;
  auto got = client_.Get(result.ref);
  if (got.ok()) {
    live = std::move(got).value();
  } else if (got.error().kind() != ErrorKind::kNotFound) {
    return got.error();
  }
  ApplyOptions apply;
  apply.field_manager = options.field_manager;
  apply.force = options.force_conflicts;
  apply.dry_run = options.dry_run;
  LLM_ASSIGN_OR_RETURN(result.object, client_.Apply(result.ref, object, apply));
  if (!live) {
    result.action = ApplyAction::kCreated;
  } else if (options.dry_run) {
    result.action = Comparable(*live) == Comparable(result.object) ? ApplyAction::kUnchanged : ApplyAction::kConfigured;
  } else {
    const auto version = json::json_pointer("/metadata/resourceVersion");
    result.action = live->value(version, std::string()) == result.object.value(version, std::string())
                        ? ApplyAction::kUnchanged
                        : ApplyAction::kConfigured;
  }
  if (IsCrd(object) && !options.dry_run) {
    // Its custom resources may follow in this same set: they map only once the
    // CRD is Established and discovery has been refreshed.
    auto established = waiter_.WaitFor(result.ref, ConditionIs("Established"), options.crd_established_timeout);
    if (!established.ok()) return established.error();
    mapper_.Reset();
  }
  return result;
}

Status Applier::Prune(const std::string& id, const ApplySetRef& set, const ApplySetParentState& recorded,
                      const std::set<std::string>& applied_uids, const ApplierOptions& options,
                      ApplyOutcome& outcome) {
  std::set<std::string> namespaces = recorded.additional_namespaces;
  namespaces.insert(set.ns);
  std::vector<std::pair<RestMapping, json>> doomed;
  for (const GroupKind& group_kind : recorded.group_kinds) {
    auto mapping = mapper_.MapGroupKind(group_kind);
    if (!mapping.ok()) {
      if (mapping.error().kind() == ErrorKind::kNotFound) continue;  // the kind is gone, and its objects with it
      return mapping.error();
    }
    ListOptions list;
    list.label_selector = std::string(kApplySetPartOfLabel) + "=" + id;
    std::vector<std::string> scopes = mapping->namespaced ? std::vector<std::string>(namespaces.begin(), namespaces.end())
                                                          : std::vector<std::string>{""};
    for (const std::string& ns : scopes) {
      ResourceRef collection = mapping->resource;
      collection.ns = ns;
      auto listed = client_.List(collection, list);
      if (!listed.ok()) return listed.error().WithContext("listing " + collection.GroupResource() + " to prune");
      std::vector<json> items;
      if (listed->contains("items") && (*listed)["items"].is_array()) {
        for (json& item : (*listed)["items"]) {
          // A List's items carry no kind; the mapping knows it.
          item["kind"] = mapping->kind;
          item["apiVersion"] = GroupVersionString(mapping->resource.group, mapping->resource.version);
          items.push_back(std::move(item));
        }
      }
      for (json& object : SelectPrunable(items, id, applied_uids)) doomed.emplace_back(*mapping, std::move(object));
    }
  }
  std::stable_sort(doomed.begin(), doomed.end(), [](const auto& a, const auto& b) {
    return InstallRank(a.second.value("kind", "")) > InstallRank(b.second.value("kind", ""));
  });
  for (auto& [mapping, object] : doomed) {
    ObjectResult result;
    result.kind = mapping.kind;
    result.ref = mapping.resource;
    result.ref.ns = mapping.namespaced ? object["metadata"].value("namespace", "") : "";
    result.ref.name = object["metadata"].value("name", "");
    result.action = ApplyAction::kPruned;
    DeleteOptions remove;
    remove.dry_run = options.dry_run;
    auto deleted = client_.Delete(result.ref, remove);
    if (!deleted.ok() && deleted.error().kind() != ErrorKind::kNotFound) {
      outcome.errors.push_back(deleted.error().WithContext("pruning " + Describe(object)));
      continue;
    }
    result.object = std::move(object);
    outcome.results.push_back(std::move(result));
  }
  return Ok();
}

Result<ApplyOutcome> Applier::Apply(std::vector<json> objects, const ApplySetRef& set, const ApplierOptions& options) {
  if (set.name.empty() || set.ns.empty()) {
    return Error(ErrorKind::kInvalidInput, "an ApplySet needs a parent name and namespace");
  }
  if (options.tooling.empty()) return Error(ErrorKind::kInternal, "ApplierOptions.tooling is empty");
  const std::string id = ApplySetId(set.name, set.ns, "Secret", "");

  ApplySetParentState wanted;
  for (size_t i = 0; i < objects.size(); ++i) {
    LLM_RETURN_IF_ERROR(Validate(objects[i], i));
    json& object = objects[i];
    LLM_RETURN_IF_ERROR(LabelMember(object, id));
    wanted.group_kinds.insert(GroupKindOf(object["apiVersion"].get<std::string>(), object["kind"].get<std::string>()));
    // A kind not served yet (its CRD is in this set) counts as namespaced here;
    // the parent is rewritten with the exact namespaces after the apply.
    std::string ns = object["metadata"].value("namespace", "");
    auto mapping = mapper_.Map(object["apiVersion"].get<std::string>(), object["kind"].get<std::string>());
    if (mapping.ok() && !mapping->namespaced) ns.clear();
    else if (ns.empty()) ns = options.default_namespace;
    if (!ns.empty() && ns != set.ns) wanted.additional_namespaces.insert(ns);
  }

  ApplySetParentState recorded;
  ResourceRef parent_ref{"", "v1", "secrets", set.ns, set.name, ""};
  auto live_parent = client_.Get(parent_ref);
  if (live_parent.ok()) {
    LLM_ASSIGN_OR_RETURN(recorded, ReadParent(*live_parent, id));
  } else if (live_parent.error().kind() != ErrorKind::kNotFound) {
    return live_parent.error().WithContext("reading ApplySet parent secret \"" + set.name + "\"");
  }
  ApplySetParentState superset = recorded;
  superset.group_kinds.insert(wanted.group_kinds.begin(), wanted.group_kinds.end());
  superset.additional_namespaces.insert(wanted.additional_namespaces.begin(), wanted.additional_namespaces.end());
  ApplyOutcome outcome;
  std::set<std::string> applied_uids;
  SortForInstall(objects);
  // The parent lives in its namespace: when this set creates that namespace, it goes first.
  auto own_namespace = std::find_if(objects.begin(), objects.end(), [&](const json& object) {
    return object["apiVersion"] == "v1" && object["kind"] == "Namespace" && object["metadata"]["name"] == set.ns;
  });
  if (own_namespace != objects.end()) {
    const std::string description = Describe(*own_namespace);
    auto applied = ApplyOne(*own_namespace, options);
    if (!applied.ok()) return applied.error().WithContext("applying " + description);
    applied_uids.insert(applied->object.value("/metadata/uid"_json_pointer, std::string()));
    outcome.results.push_back(std::move(applied).value());
    objects.erase(own_namespace);
  }
  LLM_RETURN_IF_ERROR(WriteParent(set, superset, options));

  for (json& object : objects) {
    const std::string description = Describe(object);
    auto applied = ApplyOne(std::move(object), options);
    if (!applied.ok()) {
      outcome.errors.push_back(applied.error().WithContext("applying " + description));
      continue;
    }
    applied_uids.insert(applied->object.value("/metadata/uid"_json_pointer, std::string()));
    outcome.results.push_back(std::move(applied).value());
  }
  if (!outcome.errors.empty()) return outcome;  // the parent keeps the superset: nothing is lost
  if (options.prune) {
    Status pruned = Prune(id, set, superset, applied_uids, options, outcome);
    if (!pruned.ok()) outcome.errors.push_back(pruned.error());
    outcome.pruned = pruned.ok();
    if (!outcome.errors.empty()) return outcome;
  }
  if (options.prune) LLM_RETURN_IF_ERROR(WriteParent(set, wanted, options));
  return outcome;
}

Result<ApplyOutcome> Applier::Delete(const ApplySetRef& set, const ApplierOptions& options) {
  const std::string id = ApplySetId(set.name, set.ns, "Secret", "");
  ResourceRef parent_ref{"", "v1", "secrets", set.ns, set.name, ""};
  auto live_parent = client_.Get(parent_ref);
  if (!live_parent.ok()) {
    if (live_parent.error().kind() == ErrorKind::kNotFound) {
      return Error(ErrorKind::kNotFound, "ApplySet \"" + set.name + "\" not found in namespace \"" + set.ns + "\"");
    }
    return live_parent.error().WithContext("reading ApplySet parent secret \"" + set.name + "\"");
  }
  LLM_ASSIGN_OR_RETURN(ApplySetParentState recorded, ReadParent(*live_parent, id));
  ApplyOutcome outcome;
  Status pruned = Prune(id, set, recorded, {}, options, outcome);
  if (!pruned.ok()) outcome.errors.push_back(pruned.error());
  outcome.pruned = pruned.ok();
  if (!outcome.errors.empty()) return outcome;
  DeleteOptions remove;
  remove.dry_run = options.dry_run;
  auto deleted = client_.Delete(parent_ref, remove);
  if (!deleted.ok() && deleted.error().kind() != ErrorKind::kNotFound) {
    outcome.errors.push_back(deleted.error().WithContext("deleting ApplySet parent secret \"" + set.name + "\""));
  }
  return outcome;
}

}  // namespace llm::kube
