#include "output/table_printer.h"
#include "util/strings.h"

#include <algorithm>
#include <cctype>

namespace llm {
namespace {

constexpr size_t kMinWidth = 6;
constexpr size_t kPadding = 3;

}  // namespace

size_t CellWidth(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;
  }
  return width;
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

std::string Table::Render(bool wide, bool no_headers) const {
  std::vector<size_t> all(rows_.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  std::vector<size_t> widths;
  return RenderRows(wide, !no_headers, all, widths);
}

std::string Table::RenderRows(bool wide, bool header, std::span<const size_t> rows, std::vector<size_t>& widths) const {
  std::vector<size_t> shown;
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (wide || !columns_[i].wide_only) shown.push_back(i);
  }
  std::vector<std::vector<std::string>> lines;
  if (header) {
    std::vector<std::string> names;
    for (size_t i : shown)
      names.push_back(columns_[i].header_as_typed ? columns_[i].header : Upper(columns_[i].header));
    lines.push_back(std::move(names));
  }
  for (size_t r : rows) {
    std::vector<std::string> line;
    for (size_t i : shown) line.push_back(rows_[r][i]);
    lines.push_back(std::move(line));
  }
  // tabwriter pads every tab-terminated cell, i.e. all but the last column.
  if (widths.size() < shown.size()) widths.resize(shown.size(), kMinWidth);
  for (const auto& line : lines) {
    for (size_t c = 0; c + 1 < line.size(); ++c) widths[c] = std::max(widths[c], CellWidth(line[c]) + kPadding);
  }
  std::string out;
  for (const auto& line : lines) {
    for (size_t c = 0; c < line.size(); ++c) {
      out += line[c];
      if (c + 1 < line.size()) out.append(widths[c] - CellWidth(line[c]), ' ');
    }
    out += '\n';
  }
  return out;
}

}  // namespace llm
