#include "commands/listing_flags.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "kube/label_selector.h"
#include "util/strings.h"

namespace llm {

void AddListingFlags(CLI::App* cmd, ListingFlags& flags, std::string_view noun, std::string_view field_help) {
  cmd->add_option("-l,--selector", flags.selector,
                  fmt::format("Only {} matching this label selector (=, ==, !=, in, notin, exists; "
                              "e.g. -l 'team=ml,tier in (a,b)'), filtered by the server",
                              noun));
  cmd->add_option(
      "--field-selector", flags.field_selector,
      fmt::format("Only {} matching this field selector (=, ==, !=), filtered by the server: {}", noun, field_help));
  cmd->add_option("--sort-by", flags.sort_by,
                  "Sort the rows by this JSONPath over each listed object (.metadata.name, "
                  "{.metadata.creationTimestamp}); numbers and quantities by value");
  cmd->add_flag("--show-labels", flags.show_labels, "Add a LABELS column: every label of each object (tables only)");
  cmd->add_option("-L,--label-columns", flags.label_columns,
                  "A column per label key, headed by the key's last part upper-cased (-L team,tier or -L team -L tier)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_flag("--no-headers", flags.no_headers, "Print tables and custom columns without their header line");
  cmd->add_flag("-w,--watch", flags.watch,
                "After listing, watch for changes until Ctrl-C: redrawn in place on a terminal, otherwise one line "
                "per changed row (kubectl get -w)");
  cmd->add_flag("--watch-only", flags.watch_only, "Watch for changes without listing first: only changed rows");
}

Result<ListingOptions> ParseListingFlags(const ListingFlags& flags, const OutputSpec& output) {
  ListingOptions options;
  const std::string_view selector = Trim(flags.selector);
  LLM_RETURN_IF_ERROR(LabelSelector::Parse(selector, "--selector"));
  options.label_selector = std::string(selector);
  options.field_selector = std::string(Trim(flags.field_selector));
  const std::string_view format = OutputFormatName(output.format);
  if (flags.show_labels && !output.is_table()) {
    return Error(ErrorKind::kUsage, fmt::format("--show-labels option cannot be used with {} printer", format));
  }
  if (!flags.label_columns.empty() && output.format == OutputFormat::kCustomColumns) {
    return Error(ErrorKind::kUsage, fmt::format("--label-columns option cannot be used with {} printer", format));
  }
  for (const std::string& key : flags.label_columns) {
    const std::string_view trimmed = Trim(key);
    if (trimmed.empty()) continue;
    options.print.label_columns.emplace_back(trimmed);
  }
  if (!Trim(flags.sort_by).empty()) {
    LLM_ASSIGN_OR_RETURN(SortBy sort_by, SortBy::Parse(Trim(flags.sort_by)));
    options.print.sort_by = std::move(sort_by);
  }
  options.print.show_labels = flags.show_labels;
  options.print.no_headers = flags.no_headers;
  options.watch = flags.watch || flags.watch_only;
  options.watch_only = flags.watch_only;
  return options;
}

std::string CombineSelectors(std::string_view own, std::string_view extra) {
  if (own.empty()) return std::string(extra);
  if (extra.empty()) return std::string(own);
  return fmt::format("{},{}", own, extra);
}

}  // namespace llm
