#include "output/table_printer.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

Table Example() {
  Table table({{"name"}, {"ok"}, {"gpus"}, {"node", true}});
  table.AddRow({"a", "y", "8", "gpu-node-1"});
  table.AddRow({"chat-small", "n", "16", "gpu-node-22"});
  return table;
}

TEST_CASE("kubectl's tabwriter layout: minwidth 6, padding 3, last column unpadded") {
  // OK is 2 wide: 2 + 3 padding < minwidth 6, so the column is 6 wide.
  CHECK(Example().Render(false) ==
        "NAME         OK    GPUS\n"
        "a            y     8\n"
        "chat-small   n     16\n");
}

TEST_CASE("-o wide adds the wide-only columns, --no-headers drops the header") {
  CHECK(Example().Render(true) ==
        "NAME         OK    GPUS   NODE\n"
        "a            y     8      gpu-node-1\n"
        "chat-small   n     16     gpu-node-22\n");
  CHECK(Example().Render(false, true) ==
        "a            y     8\n"
        "chat-small   n     16\n");
}

TEST_CASE("widths count UTF-8 characters, and short rows are padded with empty cells") {
  Table table({{"name"}, {"state"}, {"age"}});
  table.AddRow({"café-über", "Ready"});
  CHECK(table.Render(false) ==
        "NAME        STATE   AGE\n"
        "café-über   Ready   \n");
  CHECK(CellWidth("café") == 4);
  CHECK(Table({{"a"}}).Render(false) == "A\n");
}

TEST_CASE("RenderRows remembers widths as kubectl get -w's tabwriter: later rows line up, columns never narrow") {
  Table table({{"name"}, {"ok"}, {"gpus"}});
  table.AddRow({"a", "y", "8"});
  table.AddRow({"chat-small", "n", "16"});
  table.AddRow({"a-much-longer-name", "yes-and-more", "4"});
  std::vector<size_t> widths;
  const std::vector<size_t> first = {0, 1};
  CHECK(table.RenderRows(false, true, first, widths) ==
        "NAME         OK    GPUS\n"
        "a            y     8\n"
        "chat-small   n     16\n");
  const std::vector<size_t> again = {0};
  CHECK(table.RenderRows(false, false, again, widths) == "a            y     8\n");  // the table's widths
  const std::vector<size_t> wider = {2};
  CHECK(table.RenderRows(false, false, wider, widths) == "a-much-longer-name   yes-and-more   4\n");
  CHECK(table.RenderRows(false, false, again, widths) == "a                    y              8\n");
}

}  // namespace
}  // namespace llm
