#include "kube/applier.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "kube/install_order.h"
#include "kube/managed_fields.h"
#include "kube/object_fields.h"
#include "kube/wait_condition.h"
#include "util/strings.h"

namespace llm::kube {
namespace {
using nlohmann::json;

std::string Describe(const json& object) {
  const std::string where = NamespaceOf(object);
  return fmt::format("{} \"{}\"{}", StringAt(object, {"kind"}, "object"), NameOf(object),
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
  const json* name =
      object.contains("metadata") && object["metadata"].is_object() && object["metadata"].contains("name")
          ? &object["metadata"]["name"]
          : nullptr;
  if (name == nullptr || !name->is_string() || name->get<std::string>().empty()) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("{} ({}): metadata.name is required", at, object["kind"].get<std::string>()));
  }
  const json& metadata = object["metadata"];
  if (metadata.contains("namespace") && !metadata["namespace"].is_string()) {
    return Error(ErrorKind::kInvalidInput, fmt::format("{} ({} \"{}\"): metadata.namespace must be a string", at,
                                                       object["kind"].get<std::string>(), name->get<std::string>()));
  }
  return Ok();
}

// The live object and the dry-run answer, without what a no-op dry run may
// still change, and without status: controllers write it on their own time (a
// rollout moving on between the read and the dry run is no change of ours).
json Comparable(json object) {
  object.erase("status");
  if (object.contains("metadata") && object["metadata"].is_object()) {
    for (const char* field : {"resourceVersion", "generation", "managedFields"}) object["metadata"].erase(field);
  }
  return object;
}

// The namespace the object is sent with: the default for a namespaced object
// that names none; none for a cluster-scoped one (as kubectl: ignored). With
// `enforce` (an explicit -n), another namespace is refused in kubectl's words.
Status SetNamespace(json& object, const RestMapping& mapping, const std::string& default_namespace, bool enforce) {
  json& metadata = object["metadata"];
  if (!mapping.namespaced) {
    metadata.erase("namespace");
    return Ok();
  }
  if (!metadata.contains("namespace") || metadata["namespace"].get<std::string>().empty()) {
    if (default_namespace.empty()) {
      return Error(ErrorKind::kInvalidInput, Describe(object) + ": namespaced, and no namespace was given");
    }
    metadata["namespace"] = default_namespace;
  }
  const std::string ns = metadata["namespace"].get<std::string>();
  if (enforce && ns != default_namespace) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("the namespace from the provided object \"{}\" does not match the namespace \"{}\". "
                             "You must pass '--namespace={}' to perform this operation.",
                             ns, default_namespace, ns));
  }
  return Ok();
}

// Whether a 409 from an apply names only fields this apply may take.
bool OnlyForceableConflicts(const Error& error, const std::set<std::string>& force_fields) {
  if (error.kind() != ErrorKind::kConflict || error.fields().empty()) return false;
  return std::all_of(error.fields().begin(), error.fields().end(),
                     [&](const std::string& field) { return force_fields.count(field) != 0; });
}

bool IsCrd(const json& object) {
  return object.value("kind", "") == "CustomResourceDefinition" &&
         GroupKindOf(object.value("apiVersion", ""), "").group == "apiextensions.k8s.io";
}
/// The kinds a prune lists: only those that may hold a member this run did not
/// apply. With a record of the members, those of the recorded members left out;
/// without one, every kind the parent names.
std::set<GroupKind> KindsToList(const ApplySetParentState& superset, const MemberRecords& applied) {
  if (!superset.members) return superset.group_kinds;
  std::set<GroupKind> to_list;
  for (const auto& [key, record] : *superset.members) {
    if (applied.count(key) != 0) continue;
    if (auto group_kind = MemberKeyGroupKind(key)) to_list.insert(*group_kind);
  }
  return to_list;
}

/// What the parent says after a complete apply and prune: exactly the members now in the set.
ApplySetParentState ExactState(const ApplyOutcome& outcome, MemberRecords applied, const ApplySetRef& set) {
  ApplySetParentState exact;
  for (const ObjectResult& result : outcome.results) {
    if (result.action == ApplyAction::kPruned || result.action == ApplyAction::kKept) continue;
    exact.group_kinds.insert(GroupKind{result.ref.group, result.kind});
    if (!result.ref.ns.empty() && result.ref.ns != set.ns) exact.additional_namespaces.insert(result.ref.ns);
  }
  exact.members = std::move(applied);
  return exact;
}

}  // namespace

std::string_view ActionVerb(ApplyAction action) {
  switch (action) {
    case ApplyAction::kCreated:
      return "created";
    case ApplyAction::kConfigured:
      return "configured";
    case ApplyAction::kUnchanged:
      return "unchanged";
    case ApplyAction::kPruned:
      return "pruned";
    case ApplyAction::kKept:
      return "kept";
  }
  return "";
}

bool HoldsData(const std::string& group, const std::string& kind) {
  return group.empty() && kind == "PersistentVolumeClaim";
}

std::string FormatResult(const ObjectResult& result, bool dry_run) {
  std::string type = Lower(result.kind);
  if (!result.ref.group.empty()) type += "." + result.ref.group;
  std::string line =
      fmt::format("{}/{} {}{}", type, result.ref.name, ActionVerb(result.action), dry_run ? " (server dry run)" : "");
  if (result.action == ApplyAction::kKept) {
    line += fmt::format(
        ": it holds data, so it was released from the set instead of deleted "
        "(remove it with: kubectl delete {} {}{})",
        type, result.ref.name, result.ref.ns.empty() ? "" : " -n " + result.ref.ns);
  }
  return line;
}

Result<std::string> Applier::WriteParent(const ApplySetRef& set, const ApplySetParentState& state,
                                         const ApplierOptions& options) {
  ResourceRef ref = core::Secrets(set.ns, set.name);
  ApplyOptions apply;
  // The parent is the tool's own record, whoever manages the members
  // (--field-manager): one manager for it, so a changed flag never makes the
  // parent's annotations conflict with themselves.
  apply.field_manager = kApplySetToolName;
  apply.dry_run = options.dry_run;
  apply.force = false;  // the KEP: never force on the parent
  auto applied = client_.Apply(ref, BuildParentSecret(set.name, set.ns, options.tooling, state), apply);
  if (!applied.ok()) return applied.error().WithContext("writing ApplySet parent secret \"" + set.name + "\"");
  return StringAt(*applied, {"metadata", "uid"});
}

Result<Applier::PendingMember> Applier::Prepare(json object, const ApplierOptions& options,
                                                const ApplySetParentState& recorded, bool parent_existed) {
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
  PendingMember pending;
  ObjectResult& result = pending.member.result;
  result.kind = kind;
  result.ref = mapping->resource;
  LLM_RETURN_IF_ERROR(SetNamespace(object, *mapping, options.default_namespace, options.enforce_namespace));
  const json& metadata = object["metadata"];
  if (mapping->namespaced) result.ref.ns = metadata["namespace"].get<std::string>();
  result.ref.name = metadata["name"].get<std::string>();
  pending.member.key = MemberKey(GroupKindOf(api_version, kind), result.ref.ns, result.ref.name);
  pending.digest = ManifestDigest(object);
  if (recorded.members) {
    if (auto it = recorded.members->find(pending.member.key); it != recorded.members->end()) {
      pending.recorded = it->second;
    }
  }

  // The verb needs the object as it was when there is no record to compare
  // with: a server dry run (it records nothing), or a parent that records no
  // members. Otherwise 201 says created, and the record says the rest.
  pending.read_first = options.dry_run || (parent_existed && !recorded.members);
  pending.apply.ref = result.ref;
  pending.apply.object = std::move(object);
  pending.apply.options.field_manager = options.field_manager;
  pending.apply.options.force = options.force_conflicts;
  pending.apply.options.dry_run = options.dry_run;
  return pending;
}

Result<Applier::AppliedMember> Applier::Conclude(PendingMember pending, Result<AppliedObject> sent,
                                                 const ApplierOptions& options) {
  PlannedApply& apply = pending.apply;
  if (!sent.ok() && !apply.options.force && OnlyForceableConflicts(sent.error(), options.force_fields)) {
    // The user asked for these values (e.g. --replicas) while `scale` or an
    // autoscaler holds them: take just those fields; any other conflict stands.
    apply.options.force = true;
    sent = client_.ApplyObject(apply.ref, apply.object, apply.options);
  }
  if (!sent.ok()) return sent.error();
  AppliedMember out = std::move(pending.member);
  ObjectResult& result = out.result;
  AppliedObject applied = std::move(sent).value();
  result.object = std::move(applied.object);
  const std::string applied_time = ApplyTimeSinceCreation(result.object, options.field_manager);
  const std::optional<json>& live = pending.live;
  const std::optional<MemberRecord>& record = pending.recorded;
  if (applied.created) {
    result.action = ApplyAction::kCreated;
  } else if (pending.read_first && live && options.dry_run) {
    result.action = Comparable(*live) == Comparable(result.object) ? ApplyAction::kUnchanged : ApplyAction::kConfigured;
  } else if (pending.read_first && live) {
    const auto version = json::json_pointer("/metadata/resourceVersion");
    result.action = live->value(version, std::string()) == result.object.value(version, std::string())
                        ? ApplyAction::kUnchanged
                        : ApplyAction::kConfigured;
  } else if (!record) {
    result.action = ApplyAction::kConfigured;  // it existed outside the set, and now belongs to it
  } else {
    // The same manifest as last time, and our Apply entry not stamped since:
    // the server found nothing to change.
    result.action = record->digest == pending.digest && record->applied == applied_time ? ApplyAction::kUnchanged
                                                                                        : ApplyAction::kConfigured;
  }
  // A dry run changed nothing, so what is recorded stays as it was.
  if (options.dry_run)
    out.record = record.value_or(MemberRecord{});
  else
    out.record = MemberRecord{pending.digest, applied_time};

  if (IsCrd(apply.object) && !options.dry_run) {
    // Its custom resources may follow in this same set: they map only once the
    // CRD is Established and discovery has been refreshed.
    auto established = waiter_.WaitFor(result.ref, ConditionIs("Established"), options.crd_established_timeout);
    if (!established.ok()) return established.error();
    LLM_RETURN_IF_ERROR(WaitUntilDiscoverable(result.object, options.crd_established_timeout));
  }
  return out;
}

std::vector<Result<Applier::AppliedMember>> Applier::ApplyStage(std::span<json> stage, const ApplierOptions& options,
                                                                const ApplySetParentState& recorded,
                                                                bool parent_existed) {
  std::vector<std::string> descriptions;
  std::vector<Result<PendingMember>> prepared;
  std::vector<PlannedApply> applies;
  std::vector<PlannedRead> reads;
  for (json& object : stage) {
    descriptions.push_back(Describe(object));
    prepared.push_back(Prepare(std::move(object), options, recorded, parent_existed));
    if (prepared.back().ok() && prepared.back()->read_first)
      reads.push_back(PlannedRead::Get(prepared.back()->apply.ref));
  }
  // The objects as they are, where the verb needs them: read together too.
  if (!reads.empty()) client_.Prefetch(reads);
  for (Result<PendingMember>& pending : prepared) {
    if (!pending.ok() || !pending->read_first) continue;
    auto got = client_.Get(pending->apply.ref);
    if (got.ok()) {
      pending->live = std::move(got).value();
    } else if (got.error().kind() != ErrorKind::kNotFound) {
      pending = got.error();
    }
  }
  for (const Result<PendingMember>& pending : prepared) {
    if (pending.ok()) applies.push_back(pending->apply);
  }
  std::vector<Result<AppliedObject>> answers = client_.ApplyObjects(applies);
  std::vector<Result<AppliedMember>> members;
  size_t answer = 0;
  for (size_t i = 0; i < prepared.size(); ++i) {
    Result<AppliedMember> member =
        prepared[i].ok() ? Conclude(std::move(prepared[i]).value(), std::move(answers.at(answer++)), options)
                         : Result<AppliedMember>(prepared[i].error());
    if (!member.ok()) member = member.error().WithContext("applying " + descriptions[i]);
    members.push_back(std::move(member));
  }
  return members;
}

Status Applier::WaitUntilDiscoverable(const json& crd, std::chrono::milliseconds timeout) {
  // Established does not mean discoverable: the API server publishes the new
  // resource in discovery from a controller of its own, a moment later. Until
  // then a resource of the new kind would fail to map.
  const std::string group = StringAt(crd, {"spec", "group"});
  const std::string kind = StringAt(crd, {"spec", "names", "kind"});
  std::vector<std::string> versions;
  for (const json& version : ArrayAt(crd, {"spec", "versions"})) {
    if (version.value("served", false)) versions.push_back(version.value("name", ""));
  }
  mapper_.Reset();
  Clock& clock = waiter_.clock();
  const auto deadline = clock.Now() + timeout;
  auto pause = std::chrono::milliseconds(50);
  for (const std::string& version : versions) {
    for (;;) {
      auto mapped = mapper_.Map(group + "/" + version, kind);
      if (mapped.ok()) break;
      if (mapped.error().kind() != ErrorKind::kNotFound) return mapped.error();
      if (clock.Now() >= deadline) {
        return Error(ErrorKind::kTimeout,
                     fmt::format("timed out waiting for discovery to serve {} in {}/{}", kind, group, version));
      }
      clock.SleepFor(pause);
      mapper_.Reset();
      pause = std::min<std::chrono::milliseconds>(pause * 2, std::chrono::seconds(1));
    }
  }
  return Ok();
}

Status Applier::Prune(const std::string& id, const ApplySetRef& set, const std::set<GroupKind>& group_kinds,
                      const std::set<std::string>& additional_namespaces, const std::set<std::string>& applied_uids,
                      const ApplierOptions& options, ApplyOutcome& outcome) {
  std::set<std::string> namespaces = additional_namespaces;
  namespaces.insert(set.ns);
  std::vector<std::pair<RestMapping, json>> doomed;
  for (const GroupKind& group_kind : group_kinds) {
    auto mapping = mapper_.MapGroupKind(group_kind);
    if (!mapping.ok()) {
      if (mapping.error().kind() == ErrorKind::kNotFound) continue;  // the kind is gone, and its objects with it
      return mapping.error();
    }
    ListOptions list;
    list.label_selector = std::string(kApplySetPartOfLabel) + "=" + id;
    std::vector<std::string> scopes = mapping->namespaced
                                          ? std::vector<std::string>(namespaces.begin(), namespaces.end())
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
    const bool kept = HoldsData(mapping.resource.group, mapping.kind) && !options.delete_data;
    if (options.dry_run_client) {
      result.action = kept ? ApplyAction::kKept : ApplyAction::kPruned;
      result.object = std::move(object);
      outcome.results.push_back(std::move(result));
      continue;
    }
    if (kept) {
      // Released, not deleted: without the part-of label no later prune or
      // delete of this set finds it, and its data stays.
      json release = {{"metadata", {{"labels", {{kApplySetPartOfLabel, nullptr}}}}}};
      auto released = client_.MergePatch(result.ref, release, options.dry_run);
      if (!released.ok() && released.error().kind() != ErrorKind::kNotFound) {
        outcome.errors.push_back(released.error().WithContext("releasing " + Describe(object) + " from the set"));
        continue;
      }
      result.action = ApplyAction::kKept;
      result.object = released.ok() ? std::move(released).value() : std::move(object);
      outcome.results.push_back(std::move(result));
      continue;
    }
    DeleteOptions remove;
    remove.dry_run = options.dry_run;
    remove.propagation_policy = options.propagation_policy;
    remove.grace_period_seconds = options.grace_period_seconds;
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

Result<ApplySetParentState> Applier::PlanMembers(std::vector<json>& objects, const std::string& id,
                                                 const ApplySetRef& set, const ApplierOptions& options) {
  ApplySetParentState wanted;
  wanted.members.emplace();
  for (size_t i = 0; i < objects.size(); ++i) {
    LLM_RETURN_IF_ERROR(Validate(objects[i], i));
    json& object = objects[i];
    LLM_RETURN_IF_ERROR(LabelMember(object, id));
    const GroupKind group_kind =
        GroupKindOf(object["apiVersion"].get<std::string>(), object["kind"].get<std::string>());
    wanted.group_kinds.insert(group_kind);
    // A kind not served yet (its CRD is in this set) counts as namespaced here;
    // the parent is rewritten with the exact namespaces after the apply.
    std::string ns = object["metadata"].value("namespace", "");
    auto mapping = mapper_.Map(object["apiVersion"].get<std::string>(), object["kind"].get<std::string>());
    if (mapping.ok()) {
      LLM_RETURN_IF_ERROR(SetNamespace(object, *mapping, options.default_namespace, options.enforce_namespace));
    }
    if (mapping.ok() && !mapping->namespaced)
      ns.clear();
    else if (ns.empty())
      ns = options.default_namespace;
    if (!ns.empty() && ns != set.ns) wanted.additional_namespaces.insert(ns);
    // Recorded before it is applied, as it will be sent; "applied" stays "" for
    // an object this run creates, so creating a set writes the parent once.
    wanted.members->emplace(MemberKey(group_kind, ns, object["metadata"]["name"].get<std::string>()),
                            MemberRecord{ManifestDigest(object), ""});
  }
  return wanted;
}

Result<Applier::RecordedParent> Applier::ReadRecordedParent(const ApplySetRef& set, const std::string& id,
                                                            const std::optional<ParentRead>& known) {
  RecordedParent parent;
  parent.state.members.emplace();  // no parent: no members
  std::optional<json> live = known ? known->object : std::nullopt;
  if (!known) {
    auto read = client_.Get(core::Secrets(set.ns, set.name));
    if (read.ok()) {
      live = std::move(read).value();
    } else if (read.error().kind() != ErrorKind::kNotFound) {
      return read.error().WithContext("reading ApplySet parent secret \"" + set.name + "\"");
    }
  }
  parent.existed = live.has_value();
  if (parent.existed) {
    LLM_ASSIGN_OR_RETURN(parent.state, ReadParent(*live, id));
    parent.uid = StringAt(*live, {"metadata", "uid"});
  }
  return parent;
}

Result<ApplyOutcome> Applier::Apply(std::vector<json> objects, const ApplySetRef& set, const ApplierOptions& options) {
  if (set.name.empty() || set.ns.empty()) {
    return Error(ErrorKind::kInvalidInput, "an ApplySet needs a parent name and namespace");
  }
  if (options.tooling.empty()) return Error(ErrorKind::kInternal, "ApplierOptions.tooling is empty");
  const std::string id = ApplySetId(set.name, set.ns, "Secret", "");
  LLM_ASSIGN_OR_RETURN(ApplySetParentState wanted, PlanMembers(objects, id, set, options));
  LLM_ASSIGN_OR_RETURN(RecordedParent parent, ReadRecordedParent(set, id, options.parent_read));
  const ApplySetParentState& recorded = parent.state;
  const bool parent_existed = parent.existed;
  ApplySetParentState superset = recorded;
  superset.group_kinds.insert(wanted.group_kinds.begin(), wanted.group_kinds.end());
  superset.additional_namespaces.insert(wanted.additional_namespaces.begin(), wanted.additional_namespaces.end());
  if (superset.members)
    superset.members->insert(wanted.members->begin(), wanted.members->end());  // keeps recorded ones

  ApplyOutcome outcome;
  outcome.parent_uid = parent.uid;
  std::set<std::string> applied_uids;
  MemberRecords applied_records;
  auto take = [&](AppliedMember applied) {
    applied_uids.insert(applied.result.object.value("/metadata/uid"_json_pointer, std::string()));
    applied_records[applied.key] = applied.record;
    outcome.results.push_back(std::move(applied.result));
  };
  SortForInstall(objects);
  // The parent lives in its namespace: when this set creates that namespace, it goes first.
  auto own_namespace = std::find_if(objects.begin(), objects.end(), [&](const json& object) {
    return object["apiVersion"] == "v1" && object["kind"] == "Namespace" && object["metadata"]["name"] == set.ns;
  });
  if (own_namespace != objects.end()) {
    Result<AppliedMember> applied =
        std::move(ApplyStage({&*own_namespace, 1}, options, recorded, parent_existed).front());
    if (!applied.ok()) return applied.error();
    take(std::move(applied).value());
    objects.erase(own_namespace);
  }
  // Before any member: the parent must already name every kind and namespace a
  // member may be found in, so a run that stops halfway hides nothing from the
  // next one's prune. A re-apply of the same set has nothing to add.
  ApplySetParentState written = recorded;
  if (!parent_existed || superset != recorded) {
    LLM_ASSIGN_OR_RETURN(outcome.parent_uid, WriteParent(set, superset, options));
    written = superset;
  }
  // What the parent should say at the end when not everything was pruned: the
  // superset, with the records of what was applied.
  auto keep_superset = [&] {
    ApplySetParentState state = superset;
    if (state.members) {
      for (const auto& [key, record] : applied_records) (*state.members)[key] = record;
    }
    return state;
  };
  auto finish = [&](const ApplySetParentState& state) -> Result<ApplyOutcome> {
    if (state != written) {
      Result<std::string> status = WriteParent(set, state, options);
      if (!status.ok() && outcome.errors.empty()) return status.error();
      if (!status.ok()) outcome.errors.push_back(status.error());
    }
    return outcome;
  };

  // Stage by stage, the members of a stage together (one round trip).
  for (std::span<json> stage : InstallStages(objects)) {
    for (Result<AppliedMember>& applied : ApplyStage(stage, options, recorded, parent_existed)) {
      if (applied.ok()) {
        take(std::move(applied).value());
      } else {
        outcome.errors.push_back(applied.error());
      }
    }
  }
  if (!outcome.errors.empty() || !options.prune) return finish(keep_superset());  // nothing recorded is lost

  Status pruned = Prune(id, set, KindsToList(superset, applied_records), superset.additional_namespaces, applied_uids,
                        options, outcome);
  if (!pruned.ok()) outcome.errors.push_back(pruned.error());
  outcome.pruned = pruned.ok();
  if (!outcome.errors.empty()) return finish(keep_superset());

  return finish(ExactState(outcome, std::move(applied_records), set));
}

Result<ApplyOutcome> Applier::Delete(const ApplySetRef& set, const ApplierOptions& options) {
  const std::string id = ApplySetId(set.name, set.ns, "Secret", "");
  ResourceRef parent_ref = core::Secrets(set.ns, set.name);
  auto live_parent = client_.Get(parent_ref);
  if (!live_parent.ok()) {
    if (live_parent.error().kind() == ErrorKind::kNotFound) {
      return Error(ErrorKind::kNotFound, "ApplySet \"" + set.name + "\" not found in namespace \"" + set.ns + "\"");
    }
    return live_parent.error().WithContext("reading ApplySet parent secret \"" + set.name + "\"");
  }
  LLM_ASSIGN_OR_RETURN(ApplySetParentState recorded, ReadParent(*live_parent, id));
  ApplyOutcome outcome;
  Status pruned = Prune(id, set, recorded.group_kinds, recorded.additional_namespaces, {}, options, outcome);
  if (!pruned.ok()) outcome.errors.push_back(pruned.error());
  outcome.pruned = pruned.ok();
  if (!outcome.errors.empty() || options.dry_run_client) return outcome;
  DeleteOptions remove;
  remove.dry_run = options.dry_run;
  auto deleted = client_.Delete(parent_ref, remove);
  if (!deleted.ok() && deleted.error().kind() != ErrorKind::kNotFound) {
    outcome.errors.push_back(deleted.error().WithContext("deleting ApplySet parent secret \"" + set.name + "\""));
  }
  return outcome;
}

}  // namespace llm::kube
