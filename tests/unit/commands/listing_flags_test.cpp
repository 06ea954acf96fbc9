#include "commands/listing_flags.h"

#include <algorithm>

#include <doctest/doctest.h>
#include <CLI/CLI.hpp>

namespace llm {
namespace {

/// Parses `args` (in order) as a listing command with a NAME argument would.
ListingFlags Parse(std::vector<std::string> args, std::string* name = nullptr) {
  CLI::App app;
  ListingFlags flags;
  std::string positional;
  app.add_option("NAME", positional);
  AddListingFlags(&app, flags, "workloads", "metadata.name");
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments reversed
  app.parse(args);
  if (name != nullptr) *name = positional;
  return flags;
}

TEST_CASE("the listing flags are kubectl get's: -l, --field-selector, --sort-by, -L, --show-labels, -w") {
  std::string name;
  ListingFlags flags = Parse({"-l", "team=ml", "--field-selector", "metadata.name=chat", "--sort-by", ".metadata.name",
                              "-L", "team,tier", "-L", "zone", "chat", "--show-labels", "--no-headers", "-w"},
                             &name);
  CHECK(flags.selector == "team=ml");
  CHECK(flags.field_selector == "metadata.name=chat");
  CHECK(flags.sort_by == ".metadata.name");
  CHECK(flags.label_columns == std::vector<std::string>{"team", "tier", "zone"});
  CHECK(name == "chat");  // -L takes one value: the NAME after it stays the NAME
  CHECK(flags.show_labels);
  CHECK(flags.no_headers);
  CHECK(flags.watch);
  CHECK_FALSE(flags.watch_only);
  CHECK(Parse({"--selector=a", "--label-columns=b", "--watch-only"}).watch_only);
}

TEST_CASE("ParseListingFlags: what kubectl accepts, in its words") {
  ListingFlags flags;
  flags.selector = " team=ml ";
  flags.label_columns = {"team", ""};
  flags.watch_only = true;
  auto parsed = ParseListingFlags(flags, OutputSpec());
  REQUIRE(parsed.ok());
  CHECK(parsed->label_selector == "team=ml");
  CHECK(parsed->print.label_columns == std::vector<std::string>{"team"});
  CHECK(parsed->watch);
  CHECK(parsed->watch_only);
  CHECK_FALSE(parsed->print.sort_by.has_value());

  flags = {};
  flags.selector = "team in (a";
  auto bad_selector = ParseListingFlags(flags, OutputSpec());
  REQUIRE_FALSE(bad_selector.ok());
  CHECK(bad_selector.error().kind() == ErrorKind::kUsage);
  CHECK(bad_selector.error().message().starts_with("invalid --selector \"team in (a\""));

  flags = {};
  flags.show_labels = true;
  CHECK(ParseListingFlags(flags, OutputSpec(OutputFormat::kWide)).ok());
  CHECK(ParseListingFlags(flags, OutputSpec(OutputFormat::kJson)).error().message() ==
        "--show-labels option cannot be used with json printer");

  flags = {};
  flags.label_columns = {"team"};
  CHECK(ParseListingFlags(flags, OutputSpec(OutputFormat::kYaml)).ok());  // kubectl takes it and prints no column
  auto columns = ParseOutputFormat("custom-columns=NAME:.name", {OutputFormat::kJson});
  REQUIRE(columns.ok());
  CHECK(ParseListingFlags(flags, *columns).error().message() ==
        "--label-columns option cannot be used with custom-columns printer");

  flags = {};
  flags.sort_by = "{.metadata.name";
  auto bad_sort = ParseListingFlags(flags, OutputSpec());
  REQUIRE_FALSE(bad_sort.ok());
  CHECK(bad_sort.error().kind() == ErrorKind::kUsage);
  CHECK(bad_sort.error().message().starts_with("--sort-by"));
  flags.sort_by = "{.metadata.creationTimestamp}";
  auto sorted = ParseListingFlags(flags, OutputSpec());
  REQUIRE(sorted.ok());
  CHECK(sorted->print.sort_by->field() == "{.metadata.creationTimestamp}");
}

TEST_CASE("CombineSelectors joins the command's selector and the user's") {
  CHECK(CombineSelectors("a=b", "") == "a=b");
  CHECK(CombineSelectors("", "c") == "c");
  CHECK(CombineSelectors("a=b", "c in (d,e)") == "a=b,c in (d,e)");
}

}  // namespace
}  // namespace llm
