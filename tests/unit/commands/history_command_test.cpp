#include "commands/history_command.h"

#include <atomic>
#include <map>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>

#include "commands/workload_revisions.h"
#include "fakes/discovery_fixtures.h"
#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"
#include "fakes/metadata_only_list.h"
#include "output/terminal.h"

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
  size_t SecretLists() const {
    size_t lists = 0;
    for (const kube::HttpRequest& r : client.routes.requests())
      lists += r.path.starts_with("/api/v1/namespaces/ml/secrets");
    return lists;
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

TEST_CASE(
    "history reads the workload's revision index, one object (without it: a list of the revisions, the same output)") {
  Fixture f;
  f.Record(3);
  HistoryOptions options;
  options.name = "chat";
  std::map<std::string, std::string> indexed;
  for (const std::string output : {"", "wide", "json"}) {
    options.output = output;
    f.out.str("");
    const size_t lists = f.SecretLists();
    REQUIRE(f.Run(options).ok());
    CHECK(f.SecretLists() == lists);  // no list of the revisions
    indexed[output] = f.out.str();
  }
  CHECK(f.client.calls().back().ends_with("ml/kubectl-llm.chat.index"));

  // Recorded by an older plugin, or too long a history for one Secret: the revisions are listed.
  REQUIRE(f.client.Delete(kube::core::Secrets("ml", "kubectl-llm.chat.index"), {}).ok());
  for (const std::string output : {"", "wide", "json"}) {
    options.output = output;
    f.out.str("");
    const size_t lists = f.SecretLists();
    REQUIRE(f.Run(options).ok());
    CHECK(f.SecretLists() == lists + 1);
    CHECK(f.out.str() == indexed[output]);
  }
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

TEST_CASE("history: -l goes to the server with the revisions' own selector, -L and --sort-by read the Secrets") {
  Fixture f;
  f.Record(2);
  HistoryOptions options;
  options.name = "chat";
  options.listing.selector = "kubectl-llm.dev/revision-status=deployed";
  REQUIRE(f.Run(options).ok());
  const std::string path = f.client.routes.requests().back().path;
  CHECK(
      path.find("labelSelector=kubectl-llm.dev%2Frevision-of%3Dchat%2Ckubectl-llm.dev%2Frevision-status%3Ddeployed") !=
      std::string::npos);
  f.out.str("");
  options.listing = {};
  options.listing.label_columns = {"kubectl-llm.dev/revision-status"};
  options.listing.sort_by = "{.metadata.labels.kubectl-llm\\.dev/revision-status}";
  REQUIRE(f.Run(options).ok());
  const std::string table = f.out.str();
  CHECK(table.substr(0, table.find('\n')).ends_with("   REVISION-STATUS"));
  // deployed sorts before superseded: revision 2 first.
  CHECK(table.find("\n2 ") < table.find("\n1 "));
  CHECK(table.find("   superseded\n") != std::string::npos);
  // A selector that matches nothing is no missing history.
  options.listing = {};
  options.listing.field_selector = "metadata.name=none";
  f.client.routes.OnHandler("GET", "/api/v1/namespaces/ml/secrets", [](const kube::HttpRequest&) {
    return Result<kube::HttpResponse>(
        testing::FakeTransport::Json(200, R"({"kind":"PartialObjectMetadataList","metadata":{},"items":[]})"));
  });
  f.err.str("");
  REQUIRE(f.Run(options).ok());
  CHECK(f.err.str() == "No resources found in ml namespace.\n");
}

TEST_CASE("history -w: the revisions listed, then each one the watch reports, a line each") {
  Fixture f;
  f.Record(2);
  // The third revision, as the watch will deliver it: the second one's Secret, renumbered.
  json third = *f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.v2"));
  third["metadata"]["name"] = "kubectl-llm.chat.v3";
  third["metadata"]["labels"]["kubectl-llm.dev/revision"] = "3";
  third["metadata"]["resourceVersion"] = "999";
  std::atomic<bool> delivered{false};
  f.client.QueueStream(
      [&](const kube::HttpRequest& request, const kube::ChunkSink& sink) -> Result<kube::HttpResponse> {
        sink(json{{"type", "ADDED"}, {"object", third}}.dump() + "\n");
        delivered = true;
        while (!request.cancelled || !request.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return kube::HttpResponse{200, {}, ""};
      });
  std::ostringstream screen;
  StreamTerminal terminal(screen, /*interactive=*/false);
  std::ostringstream err;
  std::atomic<bool> stop{false};
  ListingWatchEnv env{f.clock, terminal, err, [&] {
                        // Stop once the third revision was printed (or give up after a while).
                        return stop.load() || (delivered && screen.str().find("\n3 ") != std::string::npos);
                      }};
  std::thread guard([&] {
    for (int i = 0; i < 500 && !delivered; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::seconds(2));
    stop = true;
  });
  HistoryOptions options;
  options.name = "chat";
  options.listing.watch = true;
  const Status status = RunHistory(options, f.client, f.mapper, f.clock, "ml", IoStreams{f.in, f.out, f.err}, &env);
  guard.join();
  REQUIRE_MESSAGE(status.ok(), (status.ok() ? "" : status.error().message()));
  const std::string out = screen.str();
  CHECK(out.starts_with("REVISION "));
  CHECK(out.find("\n1 ") < out.find("\n2 "));
  CHECK(out.find("\n2 ") < out.find("\n3 "));
  CHECK(out.find("REVISION", 1) == std::string::npos);
  CHECK(f.client.stream_requests().front().path.find("watch=1") != std::string::npos);
  CHECK(f.client.stream_requests().front().path.find("labelSelector=kubectl-llm.dev%2Frevision-of%3Dchat") !=
        std::string::npos);
}

}  // namespace
}  // namespace llm
