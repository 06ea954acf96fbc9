// Tables laid out as kubectl prints them: uppercase headers, columns padded
// by Go's text/tabwriter with kubectl's settings (minwidth 6, padding 3, pad
// with spaces; printers.GetNewTabWriter), the last column unpadded, and the
// priority > 0 columns shown only with -o wide.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace llm {

struct TableColumn {
  std::string header;            ///< printed uppercased
  bool wide_only = false;        ///< only with -o wide (a Table column of priority > 0)
  bool header_as_typed = false;  ///< -o custom-columns prints its headers as the user wrote them
};

class Table {
 public:
  explicit Table(std::vector<TableColumn> columns) : columns_(std::move(columns)) {}

  /// One cell per column, in column order; missing cells print empty, extra
  /// cells are dropped.
  void AddRow(std::vector<std::string> cells);

  size_t row_count() const { return rows_.size(); }
  const std::vector<TableColumn>& columns() const { return columns_; }
  const std::vector<std::vector<std::string>>& rows() const { return rows_; }

  /// The header line (unless `no_headers`) and one line per row, each ending
  /// in "\n". With no rows and headers on, just the header line: whether to
  /// print "No resources found" instead is the caller's decision.
  std::string Render(bool wide, bool no_headers = false) const;

  /// The header line (when `header`) and the rows at `rows` (indexes, in that
  /// order), laid out with at least the column widths in `widths`, which it
  /// then widens to what these lines needed: kubectl's tabwriter with
  /// RememberWidths, so what `get -w` prints after its table lines up with it
  /// (a column never narrows). `widths` starts empty.
  std::string RenderRows(bool wide, bool header, std::span<const size_t> rows, std::vector<size_t>& widths) const;

 private:
  std::vector<TableColumn> columns_;
  std::vector<std::vector<std::string>> rows_;
};

/// Display width as tabwriter counts it: UTF-8 code points.
size_t CellWidth(const std::string& text);

}  // namespace llm
