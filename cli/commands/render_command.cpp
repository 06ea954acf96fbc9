#include "commands/render_command.h"

#include <algorithm>
#include <memory>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/command_flags.h"
#include "render/k8s_names.h"
#include "render/manifest_printer.h"
#include "render/workload.h"
#include "workload/require_validated.h"

namespace llm {
namespace {

constexpr OutputFormat kRenderOutputs[] = {OutputFormat::kYaml, OutputFormat::kJson, OutputFormat::kName};

constexpr const char* kRenderFooter =
    "Values: flags > --set KEY=VALUE > -f values.yaml (repeatable, later wins) > defaults.\n"
    "  Keys are the flags' camelCase names (tensorParallel, nodeSelector ...); maps take\n"
    "  --set KEY.SUBKEY=VALUE, lists --set KEY[INDEX]=VALUE. Unknown keys are refused.\n"
    "Patches: --patch KIND/NAME=FILE applies FILE to that rendered object: a YAML/JSON list\n"
    "  is a JSON Patch (RFC 6902), a mapping a JSON Merge Patch (RFC 7386).";

void SetupWorkload(CLI::App& render, const WorkloadSpec& workload, CommandContext& ctx) {
  CLI::App* cmd = render.add_subcommand(std::string(workload.name), std::string(workload.summary));
  if (!ctx.Builds(workload.name)) return;
  auto options = std::make_shared<RenderOptions>();
  AddWorkloadFlags(*cmd, workload, *options, ctx.global);
  AddOutputFlag(cmd, options->output, kRenderOutputs, "multi-document YAML; json is one v1 List");
  cmd->add_option("--backend", options->request.backend,
                  workload.name == "serve"   ? "deployment or leaderworkerset (default: by --nodes)"
                  : workload.name == "train" ? "jobset (default) or indexed-job"
                                             : "pod");
  cmd->callback([options, cmd, &ctx] {
    // The global -n/--namespace (kubectl's flag); without it the manifests name no
    // namespace, as `kubectl create --dry-run=client` prints them.
    if (!ctx.global.kube.ns.empty()) options->request.namespace_ = ctx.global.kube.ns;
    Status flags = FinishWorkloadFlags(*cmd, *options);
    ctx.Finish(flags.ok() ? RunRender(*options, ctx.streams) : flags);
  });
}

}  // namespace

void AddWorkloadFlags(CLI::App& cmd, const WorkloadSpec& workload, RenderOptions& options,
                      const GlobalOptions& global) {
  options.request.workload = std::string(workload.name);
  cmd.footer(kRenderFooter);
  cmd.add_option("NAME", options.request.name, "Name of the workload (app.kubernetes.io/instance)")->required();
  if (workload.takes_trailing_command) {
    // One one-word positional per word, not a vector positional: CLI11 splits a
    // word like "[a,b]" given to a vector into "a" and "b", which would change
    // the command. Only the first is listed in --help. As many as the run has
    // words, up to the limit: CLI11 checks each new one against all the others,
    // and all 256 cost three times what rendering a job does.
    const size_t words = std::clamp<size_t>(global.args.size(), 1, options.command_words.size());
    for (size_t i = 0; i < words; ++i) {
      CLI::Option* word = cmd.add_option(i == 0 ? std::string("COMMAND") : fmt::format("COMMAND{}", i),
                                         options.command_words[i], "The command to run, after '--'");
      word->allow_extra_args(false);
      if (i > 0) word->group("");
    }
  }
  // Only the flags this run may parse are registered (GlobalOptions::MayParse).
  // option_text: what --help shows after each flag. CLI11 would print "TEXT ..."
  // for these, as if one flag took several words; each takes one per use.
  const auto option = [&](std::string_view names, auto& target, std::string_view help, std::string_view value) -> void {
    if (!global.MayParse(names)) return;
    cmd.add_option(std::string(names), target, std::string(help))
        ->allow_extra_args(false)
        ->option_text(" " + std::string(value));
  };
  option("-f,--values", options.request.value_files, "Values file (repeatable; later files win)", "FILE");
  option("--set", options.request.set_values, "Set a value: KEY=VALUE, MAP.KEY=VALUE, LIST[N]=VALUE", "KEY=VALUE");
  option("--patch", options.request.patches, "KIND/NAME=FILE: JSON Patch or Merge Patch for one object",
         "KIND/NAME=FILE");
  option("--templates", options.templates_dir, "Directory replacing the built-in templates", "DIR");
  if ((workload.name == "serve" || workload.name == "train") && global.MayParse("--require-validated")) {
    // A flag with an optional value (`--require-validated`, `--require-validated=7d`):
    // it never takes the next word, so `--require-validated NAME` keeps NAME.
    cmd.add_flag("--require-validated{}", options.require_validated_age,
                 "Only GPU nodes that passed 'validate-nodes --record' (=MAX_AGE: at most that long ago, e.g. 24h)")
        ->option_text("[=MAX_AGE]");
  }
  for (const ValueSpec& spec : workload.values) {
    if (spec.flag.empty() || !global.MayParse(spec.flag)) continue;
    std::vector<std::string>& target = options.request.flags[std::string(spec.key)];
    if (spec.kind == ValueKind::kSwitch) {
      // No value word: `--monitor` is "true"; `--monitor=false` turns off one a values file set.
      cmd.add_flag(std::string(spec.flag), target, std::string(spec.help));
      continue;
    }
    option(spec.flag, target, spec.help,
           !spec.value_name.empty()       ? spec.value_name
           : spec.kind == ValueKind::kMap ? "KEY=VALUE"
                                          : "VALUE");
  }
}

Status FinishWorkloadFlags(CLI::App& cmd, RenderOptions& options) {
  options.require_validated.reset();
  if (cmd.get_option_no_throw("--require-validated") != nullptr && cmd.count("--require-validated") > 0) {
    options.require_validated = options.require_validated_age;
  }
  options.request.require_validated_nodes = options.require_validated.has_value();
  // Flags not given leave empty lists behind; drop them so lower layers keep their values.
  std::erase_if(options.request.flags, [](const auto& kv) { return kv.second.empty(); });
  options.request.trailing.clear();
  for (const std::optional<std::string>& word : options.command_words) {
    if (!word) break;
    options.request.trailing.push_back(*word);
  }
  return Ok();
}

Status ValidateRenderOptions(const RenderOptions& options) {
  LLM_RETURN_IF_ERROR(ParseOutputFormat(options.output, kRenderOutputs));
  if (options.require_validated) LLM_RETURN_IF_ERROR(ParseRequireValidated(*options.require_validated));
  if (options.request.namespace_) LLM_RETURN_IF_ERROR(CheckNamespaceFlag(*options.request.namespace_));
  return Ok();
}

Status RunRender(const RenderOptions& options, IoStreams streams, const ReadFileFn& read_file) {
  LLM_RETURN_IF_ERROR(ValidateRenderOptions(options));
  LLM_ASSIGN_OR_RETURN(OutputSpec output, ParseOutputFormat(options.output, kRenderOutputs));
  std::unique_ptr<TemplateSource> templates =
      options.templates_dir ? DirectoryTemplateSource(*options.templates_dir) : EmbeddedTemplateSource();
  LLM_ASSIGN_OR_RETURN(std::vector<Json> manifests, RenderManifests(options.request, *templates, read_file));
  LLM_ASSIGN_OR_RETURN(std::string text, FormatManifests(manifests, output));
  streams.out << text;
  return Ok();
}

void SetupRenderCommand(CLI::App* render, CommandContext& ctx) {
  render->require_subcommand(1);
  for (const WorkloadSpec& workload : AllWorkloads()) SetupWorkload(*render, workload, ctx);
}

}  // namespace llm
