#include "output/listing_table.h"

#include <sstream>

#include <doctest/doctest.h>

namespace llm {
namespace {
using nlohmann::json;

struct Item {
  std::string name;
  int replicas;
  json labels;
  std::string age = "5m";
};

/// A listing as a command makes one: NAME READY AGE (+ wide NODE), objects
/// with labels, keys, and a document with the same items.
Listing MakeListing(const std::vector<Item>& items) {
  Listing listing;
  listing.table = Table({{"name"}, {"ready"}, {"age"}, {"node", true}});
  listing.document = {{"kind", "ThingList"}, {"items", nlohmann::ordered_json::array()}};
  for (const Item& item : items) {
    listing.table.AddRow({item.name, std::to_string(item.replicas), item.age, "gpu-node-0"});
    json object = {{"metadata", {{"name", item.name}}}, {"spec", {{"replicas", item.replicas}}}};
    if (!item.labels.is_null()) object["metadata"]["labels"] = item.labels;
    listing.objects.push_back(object);
    listing.keys.push_back("ml/" + item.name);
    listing.document["items"].push_back({{"name", item.name}, {"replicas", item.replicas}});
  }
  return listing;
}

TEST_CASE("--show-labels prints labels as kubectl does: sorted k=v, <none> for none") {
  CHECK(FormatLabels(json{{"tier", "a"}, {"app.kubernetes.io/name", "vllm"}}) == "app.kubernetes.io/name=vllm,tier=a");
  CHECK(FormatLabels(json::object()) == "<none>");
  CHECK(FormatLabels(json()) == "<none>");
  CHECK(LabelColumnHeader("app.kubernetes.io/instance") == "INSTANCE");
  CHECK(LabelColumnHeader("team") == "TEAM");
}

TEST_CASE("-L adds a column per key after the command's own (wide ones too), LABELS comes last") {
  Listing listing = MakeListing({{"chat", 2, {{"team", "ml"}, {"tier", "gold"}}}, {"web", 1, json()}});
  ListingPrintOptions options;
  options.label_columns = {"team", "example.com/zone"};
  options.show_labels = true;
  const Table decorated = DecoratedTable(listing, options);
  CHECK(decorated.Render(false) ==
        "NAME   READY   AGE   TEAM   ZONE   LABELS\n"
        "chat   2       5m    ml            team=ml,tier=gold\n"
        "web    1       5m                  <none>\n");
  CHECK(decorated.Render(true) ==
        "NAME   READY   AGE   NODE         TEAM   ZONE   LABELS\n"
        "chat   2       5m    gpu-node-0   ml            team=ml,tier=gold\n"
        "web    1       5m    gpu-node-0                 <none>\n");
}

TEST_CASE("RenderListing sorts the rows and the -o json items together, --no-headers drops the header") {
  ListingPrintOptions options;
  auto sort_by = SortBy::Parse(".spec.replicas");
  REQUIRE(sort_by.ok());
  options.sort_by = *sort_by;
  options.no_headers = true;
  auto table = RenderListing(MakeListing({{"a", 10, json()}, {"b", 9, json()}}), options, OutputSpec());
  REQUIRE(table.ok());
  CHECK(*table ==
        "b     9     5m\n"
        "a     10    5m\n");
  auto document =
      RenderListing(MakeListing({{"a", 10, json()}, {"b", 9, json()}}), options, OutputSpec(OutputFormat::kJson));
  REQUIRE(document.ok());
  json parsed = json::parse(*document);
  CHECK(parsed["items"][0]["name"] == "b");
  CHECK(parsed["items"][1]["name"] == "a");
  auto missing = SortBy::Parse(".spec.nothing");
  options.sort_by = *missing;
  auto failed = RenderListing(MakeListing({{"a", 10, json()}}), options, OutputSpec());
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message() == "couldn't find any field with path \"{.spec.nothing}\" in the list of objects");
}

struct Screen {
  std::ostringstream out;
  StreamTerminal terminal;
  explicit Screen(bool interactive) : terminal(out, interactive, 80) {}
};

TEST_CASE("-w on a pipe: the table once, then each changed row alone, lined up under it") {
  Screen screen(false);
  ListingWatchPrinter printer({}, OutputSpec(), /*watch_only=*/false, screen.terminal);
  CHECK_FALSE(printer.redraws());
  const Listing first = MakeListing({{"chat", 1, json()}, {"web", 1, json()}});
  REQUIRE(printer.Start(first, first).ok());
  CHECK(screen.out.str() ==
        "NAME   READY   AGE\n"
        "chat   1       5m\n"
        "web    1       5m\n");
  screen.out.str("");
  // Only AGE moved (the stable listing is the same): nothing to print.
  REQUIRE(printer.Update(MakeListing({{"chat", 1, json(), "6m"}, {"web", 1, json(), "6m"}}), first, std::nullopt).ok());
  CHECK(screen.out.str().empty());
  const Listing scaled = MakeListing({{"chat", 3, json()}, {"web", 1, json()}});
  REQUIRE(
      printer.Update(MakeListing({{"chat", 3, json(), "7m"}, {"web", 1, json(), "7m"}}), scaled, std::nullopt).ok());
  CHECK(screen.out.str() == "chat   3       7m\n");
  screen.out.str("");
  // A new row wider than the table widens its column from then on.
  const Listing added = MakeListing({{"chat", 3, json()}, {"summarizer", 1, json()}, {"web", 1, json()}});
  REQUIRE(printer.Update(added, added, std::nullopt).ok());
  CHECK(screen.out.str() == "summarizer   1       5m\n");
  screen.out.str("");
  // A deleted object's row is printed once more, from the listing that still had it.
  const Listing after = MakeListing({{"chat", 3, json()}, {"web", 1, json()}});
  REQUIRE(printer.Update(after, after, added).ok());
  CHECK(screen.out.str() == "summarizer   1       5m\n");
  screen.out.str("");
  REQUIRE(printer.Update(after, after, std::nullopt).ok());
  CHECK(screen.out.str().empty());
}

TEST_CASE("--watch-only prints nothing first, then the header with the first change, label changes count") {
  Screen screen(true);  // --watch-only never redraws
  ListingPrintOptions options;
  options.label_columns = {"team"};
  ListingWatchPrinter printer(options, OutputSpec(), /*watch_only=*/true, screen.terminal);
  CHECK_FALSE(printer.redraws());
  const Listing first = MakeListing({{"chat", 1, json{{"team", "a"}}}});
  REQUIRE(printer.Start(first, first).ok());
  CHECK(screen.out.str().empty());
  const Listing relabelled = MakeListing({{"chat", 1, json{{"team", "b"}}}});
  REQUIRE(printer.Update(relabelled, relabelled, std::nullopt).ok());
  CHECK(screen.out.str() ==
        "NAME   READY   AGE   TEAM\n"
        "chat   1       5m    b\n");
}

TEST_CASE("-w -o yaml prints each changed item as a document of its own") {
  Screen screen(false);
  ListingWatchPrinter printer({}, OutputSpec(OutputFormat::kYaml), false, screen.terminal);
  const Listing first = MakeListing({{"chat", 1, json()}, {"web", 1, json()}});
  REQUIRE(printer.Start(first, first).ok());
  CHECK(screen.out.str() == "name: chat\nreplicas: 1\n---\nname: web\nreplicas: 1\n");
  screen.out.str("");
  const Listing scaled = MakeListing({{"chat", 1, json()}, {"web", 2, json()}});
  REQUIRE(printer.Update(scaled, scaled, std::nullopt).ok());
  CHECK(screen.out.str() == "---\nname: web\nreplicas: 2\n");
}

TEST_CASE("-w on a terminal draws the whole table again in place") {
  Screen screen(true);
  ListingWatchPrinter printer({}, OutputSpec(), false, screen.terminal);
  CHECK(printer.redraws());
  const Listing first = MakeListing({{"chat", 1, json()}});
  REQUIRE(printer.Start(first, first).ok());
  CHECK(screen.out.str() == "NAME   READY   AGE\nchat   1       5m\n");
  screen.out.str("");
  const Listing added = MakeListing({{"chat", 1, json()}, {"web", 1, json()}});
  REQUIRE(printer.Update(added, added, std::nullopt).ok());
  CHECK(screen.out.str() == "\033[2A\033[JNAME   READY   AGE\nchat   1       5m\nweb    1       5m\n");
}

}  // namespace
}  // namespace llm
