#include "commands/history_command.h"

#include <sstream>

#include <doctest/doctest.h>

#include "commands/workload_revisions.h"
#include "fakes/discovery_fixtures.h"
#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"
#include "fakes/metadata_only_list.h"

namespace llm {
namespace {

using nlohmann::json;
using testing::FakeRestClient;

struct Fixture {
  FakeRestClient client;
  testing::FakeClock clock;
  kube::Discovery discovery{client, nullptr, clock, kube::DiscoveryOptions{}};
  kube::RestMapper mapper{discovery};
  std::ostringstream out, err;
  std::istringstream in;

  Fixture() {
    testing::ServeAggregatedDiscovery(client);
    testing::ServeMetadataOnlySecrets(client, "ml");
  }

  void Record(int count) {
    WorkloadRevisions revisions(client, clock, "ml", "chat");
    std::ostringstream warnings;
    for (int i = 1; i <= count; ++i) {
      Revision r;
      r.audit.operation = "serve";
      r.audit.user = i == 1 ? "admin" : "dev";
      r.audit.command_line = "kubectl llm serve chat";
      r.objects = {{{"kind", "Service"}, {"metadata", {{"name", "chat"}}}, {"spec", {{"port", i}}}}};
      auto begun = revisions.Begin(r, std::chrono::minutes(2), warnings);
      REQUIRE(begun.ok());
      begun->status = RevisionStatus::kDeployed;
      begun->description = i == 1 ? "Install complete" : "Upgrade complete";
      REQUIRE(revisions.Finish(*begun, 0).ok());
      clock.Advance(std::chrono::minutes(1));
    }
  }
  Status Run(HistoryOptions options) {
    return RunHistory(options, client, mapper, clock, "ml", IoStreams{in, out, err});
  }
};

TEST_CASE("history: oldest first, one row per revision, --max keeps the newest") {
  Fixture f;
  f.Record(3);
  HistoryOptions options;
  options.name = "chat";
  REQUIRE(f.Run(options).ok());
  const std::string table = f.out.str();
  CHECK(
      table.starts_with("REVISION   UPDATED                STATUS       OPERATION   USER    DIGEST         "
                        "DESCRIPTION\n1          2027-01-15T08:00:00Z   superseded   serve       admin   "));
  CHECK(table.find("\n3          2027-01-15T08:02:00Z   deployed     serve       dev     ") != std::string::npos);
  f.out.str("");
  options.max = 1;
  REQUIRE(f.Run(options).ok());
  CHECK(f.out.str().find("\n3 ") != std::string::npos);
  CHECK(f.out.str().find("\n2 ") == std::string::npos);
}

TEST_CASE("history: -o json is a RevisionList") {
  Fixture f;
  f.Record(2);
  HistoryOptions options;
  options.name = "chat";
  options.output = "json";
  REQUIRE(f.Run(options).ok());
  const json list = json::parse(f.out.str());
  CHECK(list["kind"] == "RevisionList");
  REQUIRE(list["items"].size() == 2);
  CHECK(list["items"][1]["revision"] == 2);
  CHECK(list["items"][1]["user"] == "dev");
  CHECK(list["items"][1]["description"] == "Upgrade complete");
}

TEST_CASE("history: errors name the flag, and an unknown workload says it has no history") {
  Fixture f;
  HistoryOptions options;
  CHECK(f.Run(options).error().message() == "history needs a NAME: kubectl llm history NAME");
  options.name = "chat";
  options.max = -1;
  CHECK(f.Run(options).error().message() == "--max must be 0 (every revision) or more, got -1");
  options.max = 5;
  options.output = "name";
  CHECK(f.Run(options).error().kind() == ErrorKind::kUsage);
  options.output = "";
  const Status missing = f.Run(options);
  CHECK(missing.error().kind() == ErrorKind::kNotFound);
  CHECK(missing.error().message() ==
        "chat has no history in namespace ml: serve and train record one revision per change");
}

}  // namespace
}  // namespace llm
