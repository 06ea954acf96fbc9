#include "output/listing_table.h"

#include <algorithm>
#include <set>
#include <type_traits>

#include <fmt/format.h>

#include "output/object_printer.h"
#include "util/strings.h"

namespace llm {
namespace {

const nlohmann::json* LabelsOf(const nlohmann::json& object) {
  if (!object.is_object()) return nullptr;
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return nullptr;
  auto labels = meta->find("labels");
  if (labels == meta->end() || !labels->is_object()) return nullptr;
  return &*labels;
}

std::string LabelValue(const nlohmann::json& object, const std::string& key) {
  const nlohmann::json* labels = LabelsOf(object);
  if (labels == nullptr) return "";
  auto it = labels->find(key);
  return it != labels->end() && it->is_string() ? it->get<std::string>() : "";
}

template <typename T>
std::vector<T> Permuted(std::vector<T>& values, std::span<const size_t> order) {
  std::vector<T> out;
  out.reserve(order.size());
  for (size_t i : order) out.push_back(std::move(values[i]));
  return out;
}

/// The -o json document's items, when it has a list of them.
template <typename Document>
auto* ItemsOf(Document& document) {
  using Items = std::remove_reference_t<decltype(document["items"])>;
  Items* items = nullptr;
  if (!document.is_object()) return items;
  auto found = document.find("items");
  if (found != document.end() && found->is_array()) items = &*found;
  return items;
}

std::string CutToWidth(const std::string& line, size_t columns) {
  if (columns == 0 || CellWidth(line) <= columns) return line;
  std::string out;
  size_t width = 0;
  for (unsigned char c : line) {
    if ((c & 0xC0) != 0x80) {
      if (width == columns) break;
      ++width;
    }
    out += static_cast<char>(c);
  }
  return out;
}

}  // namespace

std::string FormatLabels(const nlohmann::json& labels) {
  if (!labels.is_object() || labels.empty()) return "<none>";
  std::vector<std::string> pairs;
  for (const auto& [key, value] : labels.items()) {
    pairs.push_back(key + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
  }
  std::sort(pairs.begin(), pairs.end());
  return fmt::format("{}", fmt::join(pairs, ","));
}

std::string LabelColumnHeader(std::string_view key) {
  const size_t slash = key.rfind('/');
  return Upper(std::string(slash == std::string_view::npos ? key : key.substr(slash + 1)));
}

Status SortListing(Listing& listing, const ListingPrintOptions& options) {
  if (!options.sort_by) return Ok();
  std::vector<const nlohmann::json*> objects;
  objects.reserve(listing.objects.size());
  for (const nlohmann::json& object : listing.objects) objects.push_back(&object);
  LLM_ASSIGN_OR_RETURN(std::vector<size_t> order, options.sort_by->Order(objects));
  Table sorted(listing.table.columns());
  for (size_t i : order) sorted.AddRow(listing.table.rows()[i]);
  listing.table = std::move(sorted);
  listing.objects = Permuted(listing.objects, order);
  if (listing.keys.size() == order.size()) listing.keys = Permuted(listing.keys, order);
  if (nlohmann::ordered_json* items = ItemsOf(listing.document); items != nullptr && items->size() == order.size()) {
    nlohmann::ordered_json sorted_items = nlohmann::ordered_json::array();
    for (size_t i : order) sorted_items.push_back(std::move((*items)[i]));
    *items = std::move(sorted_items);
  }
  return Ok();
}

Table DecoratedTable(const Listing& listing, const ListingPrintOptions& options) {
  if (options.label_columns.empty() && !options.show_labels) return listing.table;
  std::vector<TableColumn> columns = listing.table.columns();
  for (const std::string& key : options.label_columns) columns.push_back({LabelColumnHeader(key)});
  if (options.show_labels) columns.push_back({"LABELS"});
  Table decorated(std::move(columns));
  const auto& rows = listing.table.rows();
  for (size_t r = 0; r < rows.size(); ++r) {
    std::vector<std::string> cells = rows[r];
    const nlohmann::json& object = r < listing.objects.size() ? listing.objects[r] : nlohmann::json();
    for (const std::string& key : options.label_columns) cells.push_back(LabelValue(object, key));
    if (options.show_labels) {
      const nlohmann::json* labels = LabelsOf(object);
      cells.push_back(FormatLabels(labels == nullptr ? nlohmann::json() : *labels));
    }
    decorated.AddRow(std::move(cells));
  }
  return decorated;
}

Result<std::string> RenderListing(Listing listing, const ListingPrintOptions& options, const OutputSpec& output) {
  LLM_RETURN_IF_ERROR(SortListing(listing, options));
  if (!output.is_table()) return FormatDocument(listing.document, output, options.no_headers);
  return DecoratedTable(listing, options).Render(output.format == OutputFormat::kWide, options.no_headers);
}

ListingWatchPrinter::ListingWatchPrinter(ListingPrintOptions options, OutputSpec output, bool watch_only,
                                         Terminal& terminal)
    : options_(std::move(options)),
      output_(std::move(output)),
      watch_only_(watch_only),
      terminal_(terminal),
      redraw_(output_.is_table() && !watch_only && terminal.IsInteractive()) {}

std::string ListingWatchPrinter::Fingerprint(const Table& decorated, const Listing& listing, size_t row) const {
  std::string out = fmt::format("{}", fmt::join(decorated.rows()[row], "\t"));
  if (const nlohmann::ordered_json* items = ItemsOf(listing.document); items != nullptr && row < items->size()) {
    out += "\n" + (*items)[row].dump();
  }
  return out;
}

std::map<std::string, std::string> ListingWatchPrinter::Fingerprints(const Listing& stable) const {
  const Table decorated = DecoratedTable(stable, options_);
  std::map<std::string, std::string> out;
  for (size_t r = 0; r < stable.keys.size() && r < decorated.row_count(); ++r) {
    out[stable.keys[r]] = Fingerprint(decorated, stable, r);
  }
  return out;
}

Status ListingWatchPrinter::PrintRows(const Listing& listing, std::span<const size_t> rows) {
  if (rows.empty()) return Ok();
  if (output_.is_table()) {
    const bool header = !options_.no_headers && !header_printed_;
    terminal_.Write(
        DecoratedTable(listing, options_).RenderRows(output_.format == OutputFormat::kWide, header, rows, widths_));
    header_printed_ = true;
    return Ok();
  }
  const nlohmann::ordered_json* items = ItemsOf(listing.document);
  if (items == nullptr) return Ok();
  std::string text;
  for (size_t r : rows) {
    if (r >= items->size()) continue;
    LLM_ASSIGN_OR_RETURN(std::string document,
                         FormatDocument((*items)[r], output_, options_.no_headers || documents_printed_ > 0));
    if (output_.format == OutputFormat::kYaml && documents_printed_ > 0) text += "---\n";
    text += document;
    ++documents_printed_;
  }
  terminal_.Write(text);
  return Ok();
}

Status ListingWatchPrinter::Redraw(Listing now) {
  LLM_RETURN_IF_ERROR(SortListing(now, options_));
  const std::string table =
      now.table.row_count() == 0
          ? std::string()
          : DecoratedTable(now, options_).Render(output_.format == OutputFormat::kWide, options_.no_headers);
  std::string text;
  if (drawn_lines_ > 0) text += fmt::format("\033[{}A\033[J", drawn_lines_);  // back to the top of the last drawing
  size_t lines = 0;
  for (size_t begin = 0; begin < table.size();) {
    const size_t end = table.find('\n', begin);
    text += CutToWidth(table.substr(begin, end - begin), terminal_.Columns()) + "\n";
    ++lines;
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  drawn_lines_ = lines;
  terminal_.Write(text);
  return Ok();
}

Status ListingWatchPrinter::Start(Listing now, const Listing& stable) {
  shown_ = Fingerprints(stable);
  if (watch_only_) return Ok();
  if (redraw_) return Redraw(std::move(now));
  LLM_RETURN_IF_ERROR(SortListing(now, options_));
  std::vector<size_t> all(now.table.row_count());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  return PrintRows(now, all);
}

Status ListingWatchPrinter::Update(Listing now, const Listing& stable, const std::optional<Listing>& before) {
  std::map<std::string, std::string> fingerprints = Fingerprints(stable);
  std::vector<size_t> changed;
  for (size_t r = 0; r < now.keys.size(); ++r) {
    auto it = fingerprints.find(now.keys[r]);
    if (it == fingerprints.end()) continue;
    auto shown = shown_.find(now.keys[r]);
    if (shown == shown_.end() || shown->second != it->second) changed.push_back(r);
  }
  std::vector<size_t> removed;
  std::set<std::string> gone;
  for (const auto& [key, _] : shown_) {
    if (!fingerprints.contains(key)) gone.insert(key);
  }
  if (before) {
    for (size_t r = 0; r < before->keys.size(); ++r) {
      if (gone.contains(before->keys[r])) removed.push_back(r);
    }
  }
  const bool any_change = !changed.empty() || !gone.empty();
  shown_ = std::move(fingerprints);
  if (!any_change) return Ok();
  if (redraw_) return Redraw(std::move(now));
  LLM_RETURN_IF_ERROR(PrintRows(now, changed));
  if (before) LLM_RETURN_IF_ERROR(PrintRows(*before, removed));
  return Ok();
}

}  // namespace llm
