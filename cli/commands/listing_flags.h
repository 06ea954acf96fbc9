// The flags every listing command takes, as kubectl get has them:
// -l/--selector and --field-selector (sent to the server with the command's
// own selectors), --sort-by, --show-labels, -L/--label-columns, --no-headers,
// -w/--watch and --watch-only. Registered by one function and parsed by one,
// so status, list, nodes and history spell, document and check them the same
// way; the table side lives in output/listing_table.h, the watch in
// commands/listing_watch.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "output/listing_table.h"
#include "output/output_format.h"
#include "util/cli11_forward.h"
#include "util/result.h"

namespace llm {

/// The flags as typed.
struct ListingFlags {
  std::string selector{};                    ///< -l
  std::string field_selector{};              ///< --field-selector
  std::string sort_by{};                     ///< --sort-by
  std::vector<std::string> label_columns{};  ///< -L, each value comma-separated, repeatable
  bool show_labels = false;
  bool no_headers = false;
  bool watch = false;       ///< -w
  bool watch_only = false;  ///< --watch-only
};

/// The flags, checked.
struct ListingOptions {
  std::string label_selector;  ///< the user's -l, "" for none (the command adds its own)
  std::string field_selector;  ///< --field-selector, "" for none
  ListingPrintOptions print;
  bool watch = false;       ///< -w or --watch-only
  bool watch_only = false;  ///< --watch-only: no listing first
};

/// Registers the listing flags on `cmd`; `noun` is what it lists ("workloads",
/// "GPU nodes", "revisions") and `field_help` which fields --field-selector
/// can filter on for it.
void AddListingFlags(CLI::App* cmd, ListingFlags& flags, std::string_view noun, std::string_view field_help);

/// Checks the flags against the -o in effect, with kubectl's rules and words:
/// a bad -l is a usage error naming --selector, --sort-by must parse,
/// --show-labels goes with a table only, -L with anything but custom columns
/// (it prints only in tables). --field-selector is left to the server, which
/// knows each resource's fields.
Result<ListingOptions> ParseListingFlags(const ListingFlags& flags, const OutputSpec& output);

/// `own` and the user's `extra` label selector as one (either may be empty).
std::string CombineSelectors(std::string_view own, std::string_view extra);

}  // namespace llm
