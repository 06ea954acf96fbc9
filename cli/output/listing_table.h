// What kubectl get's printing flags do to every listing of this plugin
// (status, list, nodes, history), in one place: --sort-by orders the rows and
// the -o json items together, -L KEY adds a column per label key, --show-labels
// a LABELS column, --no-headers drops the header line; and, for -w, what is
// printed as the listing changes (ListingWatchPrinter). The flags themselves
// are registered and parsed by commands/listing_flags.h; nothing here reads
// the cluster.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "output/output_format.h"
#include "output/sort_by.h"
#include "output/table_printer.h"
#include "output/terminal.h"
#include "util/result.h"

namespace llm {

/// The printing half of the listing flags, parsed.
struct ListingPrintOptions {
  std::optional<SortBy> sort_by;           ///< --sort-by
  std::vector<std::string> label_columns;  ///< -L keys, in the order given
  bool show_labels = false;                ///< --show-labels
  bool no_headers = false;                 ///< --no-headers
};

/// A listing as a command computes it: row i of `table` shows `objects[i]`
/// (the API object whose labels -L and --show-labels print and whose fields
/// --sort-by reads), `keys[i]` names that row for as long as a watch runs
/// ("ns/Kind/name"), and `document["items"][i]` is the same row in the
/// command's -o json document.
struct Listing {
  Table table{{}};
  std::vector<nlohmann::json> objects;
  std::vector<std::string> keys;
  nlohmann::ordered_json document = nlohmann::ordered_json::object();
};

/// The labels as kubectl's --show-labels prints them (labels.FormatLabels):
/// "k=v" by key, comma-separated; "<none>" for none.
std::string FormatLabels(const nlohmann::json& labels);

/// The header of -L KEY: the part after the last '/', upper-cased
/// ("app.kubernetes.io/instance" -> "INSTANCE").
std::string LabelColumnHeader(std::string_view key);

/// Orders rows, objects, keys and document items by --sort-by (as they are
/// without it); kubectl's errors (output/sort_by.h).
Status SortListing(Listing& listing, const ListingPrintOptions& options);

/// `listing.table` with one column per -L key (the label's value, "" when the
/// object has no such label) and, last, LABELS: after the command's own
/// columns, wide ones included, as kubectl adds them.
Table DecoratedTable(const Listing& listing, const ListingPrintOptions& options);

/// The whole listing as -o asks, sorted: the decorated table (wide columns
/// with -o wide, no header with --no-headers), or the document through
/// FormatDocument for any other -o.
Result<std::string> RenderListing(Listing listing, const ListingPrintOptions& options, const OutputSpec& output);

/// What -w prints, as kubectl get -w does, with one difference: a row is
/// printed again only when what it shows changed, not for every event
/// (heartbeats and resourceVersion bumps print nothing).
/// - Lines (not a terminal, or --watch-only): the listing once, then for each
///   change the changed rows alone, without the header, laid out with the
///   widths of what came before (a column never narrows); a deleted object's
///   row is printed once more as it was last seen. Any -o other than a table
///   prints each changed item as a document of its own (YAML documents
///   separated by "---", custom columns' header once).
/// - A terminal: the whole table, sorted, drawn again in place.
class ListingWatchPrinter {
 public:
  ListingWatchPrinter(ListingPrintOptions options, OutputSpec output, bool watch_only, Terminal& terminal);

  /// Every list has been read: prints the listing (nothing with --watch-only)
  /// and remembers each row. `stable` is the same listing computed at a fixed
  /// time, so a row whose AGE alone moved is not a change.
  Status Start(Listing now, const Listing& stable);

  /// After events: `now` and `stable` as for Start; `before`, when objects
  /// were deleted, the listing with them still in it (at now), from which
  /// their last rows are printed.
  Status Update(Listing now, const Listing& stable, const std::optional<Listing>& before);

  bool redraws() const { return redraw_; }

 private:
  std::string Fingerprint(const Table& decorated, const Listing& listing, size_t row) const;
  std::map<std::string, std::string> Fingerprints(const Listing& stable) const;
  Status PrintRows(const Listing& listing, std::span<const size_t> rows);
  Status Redraw(Listing now);

  ListingPrintOptions options_;
  OutputSpec output_;
  bool watch_only_;
  Terminal& terminal_;
  bool redraw_;
  std::map<std::string, std::string> shown_;  ///< key -> fingerprint of what was last printed
  std::vector<size_t> widths_;                ///< the remembered column widths (lines)
  bool header_printed_ = false;
  int documents_printed_ = 0;
  size_t drawn_lines_ = 0;  ///< the height of the last drawing (terminal)
};

}  // namespace llm
