#include "commands/history_command.h"

#include <map>
#include <optional>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/cluster_session.h"
#include "commands/command_flags.h"
#include "commands/managed_workloads.h"
#include "kube/object_fields.h"
#include "kube/paged_list.h"
#include "kube/resource_ref.h"
#include "output/object_printer.h"
#include "output/output_format.h"
#include "workload/revision_history.h"
#include "workload/revision_index.h"
#include "workload/revision_record.h"

namespace llm {
namespace {

constexpr OutputFormat kHistoryOutputs[] = {OutputFormat::kTable, OutputFormat::kWide, OutputFormat::kJson,
                                            OutputFormat::kYaml};

/// What a revision row needs of its Secret: a metadata-only list's item.
nlohmann::json MetadataOnly(const nlohmann::json& secret) {
  nlohmann::json kept = {{"apiVersion", "v1"}, {"kind", "Secret"}};
  if (secret.contains("metadata")) {
    kept["metadata"] = secret["metadata"];
    kept["metadata"].erase("managedFields");
  }
  return kept;
}

struct HistoryListing {
  std::vector<RevisionAudit> shown;  ///< oldest first, the newest --max
  Listing listing;
};

/// The revisions of `secrets` (metadata), oldest first, the newest `max`:
/// one place for the one-shot listing and the watch. A damaged record is
/// left out rather than hiding the rest of the history.
HistoryListing BuildHistoryListing(const std::vector<nlohmann::json>& secrets, const std::string& name,
                                   const std::string& ns, int max) {
  std::vector<RevisionAudit> audits;
  std::map<std::string, const nlohmann::json*> by_name;
  for (const nlohmann::json& secret : secrets) {
    Result<RevisionAudit> audit = ReadRevisionAudit(secret);
    if (!audit.ok()) continue;
    by_name[NameOf(secret)] = &secret;
    audits.push_back(std::move(*audit));
  }
  HistoryListing out;
  out.shown = SortedHistory(std::move(audits), max);
  for (const RevisionAudit& audit : out.shown) {
    const std::string secret_name =
        audit.secret_name.empty() ? RevisionSecretName(name, audit.number) : audit.secret_name;
    auto it = by_name.find(secret_name);
    out.listing.objects.push_back(it == by_name.end() ? nlohmann::json::object() : *it->second);
    out.listing.keys.push_back(secret_name);
  }
  out.listing.table = RevisionHistoryTable(out.shown);
  const nlohmann::ordered_json document = RevisionListJson(name, ns, out.shown);
  out.listing.document = document;
  return out;
}

/// The revision Secrets' metadata, by one metadata-only list.
Result<std::vector<nlohmann::json>> ListRevisionSecrets(kube::RestClient& client, const std::string& ns,
                                                        const std::string& name, const ListingOptions& listing) {
  kube::ListOptions options;
  options.label_selector = CombineSelectors(std::string(kRevisionOfLabel) + "=" + name, listing.label_selector);
  options.field_selector = listing.field_selector;
  std::vector<nlohmann::json> secrets;
  LLM_RETURN_IF_ERROR(kube::ForEachListPage(
      client, kube::core::Secrets(ns), options,
      [&](nlohmann::json& page) -> Status {
        for (const nlohmann::json& item : page["items"]) secrets.push_back(MetadataOnly(item));
        return Ok();
      },
      kube::ListItems::kMetadataOnly));
  return secrets;
}

bool Narrowed(const ListingOptions& listing) {
  return !listing.label_selector.empty() || !listing.field_selector.empty();
}

/// The revisions' metadata from the workload's revision index: one small
/// object instead of a list of every revision. Null when the listing needs
/// the Secrets themselves (a selector, or --sort-by on their fields) or the
/// workload has no usable index (recorded by an older plugin, or too long a
/// history for one Secret): then the revisions are listed.
Result<std::optional<std::vector<nlohmann::json>>> IndexedRevisions(kube::RestClient& client, const std::string& ns,
                                                                    const std::string& name,
                                                                    const ListingOptions& listing) {
  if (Narrowed(listing) || listing.print.sort_by) return std::optional<std::vector<nlohmann::json>>();
  Result<nlohmann::json> index = client.Get(kube::core::Secrets(ns, RevisionIndexSecretName(name)));
  if (!index.ok()) {
    if (index.error().kind() == ErrorKind::kNotFound) return std::optional<std::vector<nlohmann::json>>();
    return index.error();
  }
  Result<std::vector<nlohmann::json>> entries = RevisionIndexEntries(*index);
  if (!entries.ok()) return std::optional<std::vector<nlohmann::json>>();
  return std::optional<std::vector<nlohmann::json>>(std::move(*entries));
}

Status WatchHistory(const HistoryOptions& options, const HistoryPlan& plan, kube::RestClient& client,
                    const std::string& ns, const ListingWatchEnv& env) {
  ListingWatch watch;
  watch.collections.push_back(
      {kube::core::Secrets(ns),
       CombineSelectors(std::string(kRevisionOfLabel) + "=" + options.name, plan.listing.label_selector),
       plan.listing.field_selector, &MetadataOnly});
  watch.listing = [name = options.name, ns, max = options.max](
                      const WatchedObjects& objects, std::chrono::system_clock::time_point) -> Result<Listing> {
    std::vector<nlohmann::json> secrets;
    for (const auto& [key, secret] : objects[0]) secrets.push_back(secret);
    return BuildHistoryListing(secrets, name, ns, max).listing;
  };
  watch.empty_message = fmt::format("No resources found in {} namespace.\n", ns);
  return RunListingWatch(client, watch, plan.listing, plan.output, env);
}

}  // namespace

Result<HistoryPlan> ValidateHistoryOptions(const HistoryOptions& options) {
  if (options.name.empty()) return Error(ErrorKind::kUsage, "history needs a NAME: kubectl llm history NAME");
  if (options.max < 0) {
    return Error(ErrorKind::kUsage, fmt::format("--max must be 0 (every revision) or more, got {}", options.max));
  }
  HistoryPlan plan;
  LLM_ASSIGN_OR_RETURN(plan.output, ParseOutputFormat(options.output, kHistoryOutputs));
  LLM_ASSIGN_OR_RETURN(plan.listing, ParseListingFlags(options.listing, plan.output));
  return plan;
}

Status RunHistory(const HistoryOptions& options, kube::RestClient& client, kube::RestMapper& mapper, Clock& /*clock*/,
                  const std::string& ns, IoStreams streams, const ListingWatchEnv* watch) {
  LLM_ASSIGN_OR_RETURN(const HistoryPlan plan, ValidateHistoryOptions(options));
  if (plan.listing.watch) {
    if (watch == nullptr) return Error(ErrorKind::kInternal, "history -w needs a terminal to print to");
    return WatchHistory(options, plan, client, ns, *watch);
  }
  LLM_ASSIGN_OR_RETURN(std::optional<std::vector<nlohmann::json>> indexed,
                       IndexedRevisions(client, ns, options.name, plan.listing));
  std::vector<nlohmann::json> secrets;
  if (indexed) {
    secrets = std::move(*indexed);
  } else {
    LLM_ASSIGN_OR_RETURN(secrets, ListRevisionSecrets(client, ns, options.name, plan.listing));
  }
  HistoryListing built = BuildHistoryListing(secrets, options.name, ns, options.max);
  if (built.shown.empty()) {
    if (Narrowed(plan.listing)) {
      if (plan.output.is_table()) {
        streams.err << fmt::format("No resources found in {} namespace.\n", ns);
        return Ok();
      }
    } else {
      return Error(ErrorKind::kNotFound,
                   fmt::format("{} has no history in namespace {}: serve and train record one revision per change",
                               options.name, ns));
    }
  }
  const std::vector<RevisionAudit> shown = built.shown;
  LLM_ASSIGN_OR_RETURN(std::string text, RenderListing(std::move(built.listing), plan.listing.print, plan.output));
  streams.out << text;
  if (plan.output.format != OutputFormat::kWide) return Ok();
  Result<ManagedWorkload> live = FindManagedWorkload(client, mapper, ns, options.name);
  if (!live.ok()) {
    // History outlives the objects (delete --keep-history); say so instead of failing.
    streams.out << fmt::format("\nNo live workload {} in namespace {}: {}\n", options.name, ns, live.error().message());
    return Ok();
  }
  streams.out << fmt::format("\nField managers of {} (managedFields, as the API server recorded them):\n",
                             ResourceName(live->object))
              << FieldManagersTable(live->object, shown, options.field_manager).Render(false);
  return Ok();
}

void SetupHistoryCommand(CLI::App* cmd, CommandContext& ctx) {
  auto options = std::make_shared<HistoryOptions>();
  cmd->add_option("NAME", options->name, "The workload's name (as given to serve or train)");
  AddOutputFlag(cmd, options->output, kHistoryOutputs, "a table; wide adds audit columns and field managers");
  cmd->add_option("--max", options->max, "Show at most this many revisions, the newest (0: every one)")
      ->default_str(std::to_string(options->max));
  cmd->add_option("--field-manager", options->field_manager,
                  "The field manager serve used (-o wide calls other managers' later changes drift)")
      ->default_str(options->field_manager);
  AddListingFlags(cmd, options->listing, "revisions", "metadata.name (kubectl-llm.NAME.vN), type");
  cmd->callback([options, &ctx] {
    if (auto valid = ValidateHistoryOptions(*options); !valid.ok()) return ctx.Finish(valid.error());
    auto session = ClusterSession::Open(ctx.global.kube, ctx.streams);
    if (!session.ok()) return ctx.Finish(session.error());
    std::optional<CommandLineWatchEnv> watch;
    if (options->listing.watch || options->listing.watch_only) watch.emplace(ctx.streams);
    ctx.Finish(RunHistory(*options, (*session)->client(), (*session)->mapper(), (*session)->clock(), (*session)->ns(),
                          ctx.streams, watch ? &watch->env() : nullptr));
    if (ctx.status.ok() && watch) ctx.exit_code = watch->stopped_exit_code();
  });
}

}  // namespace llm
