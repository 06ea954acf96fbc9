#include "commands/workload_revisions.h"

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <sstream>

#include <doctest/doctest.h>

#include "fakes/fake_clock.h"
#include "fakes/fake_rest_client.h"
#include "fakes/metadata_only_list.h"
#include "kube/object_fields.h"
#include "util/rfc3339.h"
#include "workload/revision_index.h"

namespace llm {
namespace {

using nlohmann::json;
using testing::FakeRestClient;

Revision Rendered(const std::string& image) {
  Revision revision;
  revision.audit.operation = "serve";
  revision.audit.user = "admin";
  revision.audit.command_line = "kubectl llm serve chat";
  json deployment = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "chat"}}}};
  deployment["spec"]["template"]["spec"]["containers"] = json::array({{{"name", "c"}, {"image", image}}});
  revision.objects = {deployment};
  return revision;
}

/// number -> status, of each revision the workload's index holds.
std::map<int, std::string> Indexed(FakeRestClient& client) {
  std::optional<json> index = client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.index"));
  REQUIRE(index);
  auto entries = RevisionIndexEntries(*index);
  REQUIRE(entries.ok());
  std::map<int, std::string> statuses;
  for (const json& entry : *entries) {
    auto audit = ReadRevisionAudit(entry);
    REQUIRE(audit.ok());
    statuses[audit->number] = RevisionStatusName(audit->status);
  }
  return statuses;
}

struct Fixture {
  FakeRestClient client;
  testing::FakeClock clock;
  WorkloadRevisions revisions{client, clock, "ml", "chat"};
  std::ostringstream warnings;
  Fixture() { testing::ServeMetadataOnlySecrets(client, "ml"); }
};

TEST_CASE("workload revisions: numbered in order, pending until finished, the previous one superseded") {
  Fixture f;
  auto first = f.revisions.Begin(Rendered("vllm:1"), std::chrono::minutes(2), f.warnings);
  REQUIRE(first.ok());
  CHECK(first->number == 1);
  CHECK(first->status == RevisionStatus::kPending);
  CHECK(first->images == std::vector<std::string>{"vllm:1"});
  CHECK(first->lease_until == FormatRfc3339(f.clock.Now() + std::chrono::minutes(2)));
  // The list asked for metadata only, of this workload's revisions only.
  const kube::HttpRequest& list = f.client.routes.requests().front();
  CHECK(list.path.find("labelSelector=kubectl-llm.dev%2Frevision-of%3Dchat") != std::string::npos);
  CHECK(list.headers.at(0).second.starts_with("application/json;as=PartialObjectMetadataList"));
  first->status = RevisionStatus::kDeployed;
  REQUIRE(f.revisions.Finish(*first, 10).ok());

  // Once the ApplySet parent exists, revisions are owned by it (deleting the set deletes its history).
  f.client.Put(kube::core::Secrets("ml", "chat"), {{"kind", "Secret"}, {"metadata", json::object()}});
  auto second = f.revisions.Begin(Rendered("vllm:2"), std::chrono::minutes(2), f.warnings);
  REQUIRE_MESSAGE(second.ok(), (second.ok() ? "" : second.error().message()));
  CHECK(second->number == 2);
  CHECK(first->digest != second->digest);
  second->status = RevisionStatus::kDeployed;
  REQUIRE(f.revisions.Finish(*second, 10).ok());

  auto listed = f.revisions.List();
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 2);
  std::map<int, RevisionStatus> statuses;
  for (const RevisionAudit& a : *listed) statuses[a.number] = a.status;
  CHECK(statuses[1] == RevisionStatus::kSuperseded);
  CHECK(statuses[2] == RevisionStatus::kDeployed);
  const json stored = *f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.v2"));
  CHECK(stored["metadata"]["ownerReferences"][0]["name"] == "chat");
  CHECK(stored["metadata"]["ownerReferences"][0]["uid"] ==
        StringAt(*f.client.Find(kube::core::Secrets("ml", "chat")), {"metadata", "uid"}));
  auto read = f.revisions.Read(1);
  REQUIRE(read.ok());
  CHECK(read->objects.size() == 1);
  CHECK(read->objects[0]["spec"]["template"]["spec"]["containers"][0]["image"] == "vllm:1");
  CHECK(f.revisions.Read(7).error().message() ==
        "chat has no revision 7 in namespace ml (see `kubectl llm history chat`)");
}

TEST_CASE("workload revisions: a held pending revision refuses, an expired one is taken over with a warning") {
  Fixture f;
  auto held = f.revisions.Begin(Rendered("vllm:1"), std::chrono::minutes(2), f.warnings);
  REQUIRE(held.ok());
  auto refused = f.revisions.Begin(Rendered("vllm:2"), std::chrono::minutes(2), f.warnings);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind() == ErrorKind::kConflict);
  CHECK(refused.error().message().starts_with("revision 1 of chat is pending: admin started `kubectl llm serve chat`"));
  CHECK_FALSE(f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.v2")));

  f.clock.Advance(std::chrono::minutes(3));
  auto taken = f.revisions.Begin(Rendered("vllm:2"), std::chrono::minutes(2), f.warnings);
  REQUIRE(taken.ok());
  CHECK(taken->number == 2);
  CHECK(f.warnings.str().starts_with("Warning: revision 1 of chat was left pending by admin at "));
  const json old = *f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.v1"));
  CHECK(LabelOf(old, "kubectl-llm.dev/revision-status") == "failed");
  CHECK(AnnotationOf(old, "revision.kubectl-llm.dev/reason") ==
        "interrupted: its command ended before recording an outcome; taken over by revision 2");
}

TEST_CASE("workload revisions: a re-run that changes no object keeps the previous change-cause") {
  Fixture f;
  auto first = f.revisions.Begin(Rendered("vllm:1"), std::chrono::minutes(2), f.warnings);
  REQUIRE(first.ok());
  CHECK(first->change_cause == "kubectl llm serve chat");
  first->status = RevisionStatus::kDeployed;
  REQUIRE(f.revisions.Finish(*first, 10).ok());
  Revision same = Rendered("vllm:1");
  same.audit.command_line = "kubectl llm serve chat --wait";
  auto again = f.revisions.Begin(same, std::chrono::minutes(2), f.warnings);
  REQUIRE(again.ok());
  CHECK(again->command_line == "kubectl llm serve chat --wait");
  CHECK(again->change_cause == "kubectl llm serve chat");
  again->status = RevisionStatus::kDeployed;
  REQUIRE(f.revisions.Finish(*again, 10).ok());
  Revision changed = Rendered("vllm:2");
  changed.audit.command_line = "kubectl llm serve chat --image vllm:2";
  auto third = f.revisions.Begin(changed, std::chrono::minutes(2), f.warnings);
  REQUIRE(third.ok());
  CHECK(third->change_cause == "kubectl llm serve chat --image vllm:2");
}

TEST_CASE("workload revisions: --history-max keeps the newest N after a deployed revision") {
  Fixture f;
  for (int i = 1; i <= 4; ++i) {
    auto r = f.revisions.Begin(Rendered("vllm:" + std::to_string(i)), std::chrono::minutes(2), f.warnings);
    REQUIRE(r.ok());
    r->status = i == 3 ? RevisionStatus::kFailed : RevisionStatus::kDeployed;
    REQUIRE(f.revisions.Finish(*r, 2).ok());
  }
  CHECK_FALSE(f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.v1")));
  CHECK_FALSE(f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.v2")));
  CHECK(f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.v3")));
  CHECK(f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.v4")));
}

TEST_CASE("workload revisions: an outcome goes together with what it supersedes and prunes, and the index") {
  Fixture f;
  for (int i = 1; i <= 2; ++i) {
    auto r = f.revisions.Begin(Rendered("vllm:" + std::to_string(i)), std::chrono::minutes(2), f.warnings);
    REQUIRE(r.ok());
    r->status = RevisionStatus::kDeployed;
    REQUIRE(f.revisions.Finish(*r, 10).ok());
  }
  auto third = f.revisions.Begin(Rendered("vllm:3"), std::chrono::minutes(2), f.warnings);
  REQUIRE(third.ok());
  third->status = RevisionStatus::kDeployed;
  const size_t batches = f.client.write_batches().size();
  REQUIRE(f.revisions.Finish(*third, 2).ok());
  REQUIRE(f.client.write_batches().size() == batches + 1);
  const std::vector<std::string> together = {
      "PATCH secrets ml/kubectl-llm.chat.v3", "PATCH secrets ml/kubectl-llm.chat.v2",
      "DELETE secrets ml/kubectl-llm.chat.v1", "APPLY secrets ml/kubectl-llm.chat.index"};
  CHECK(f.client.write_batches().back() == together);
  CHECK(Indexed(f.client) == std::map<int, std::string>{{2, "superseded"}, {3, "deployed"}});

  // A refused outcome is the command's error; what went with it was written all the same.
  auto fourth = f.revisions.Begin(Rendered("vllm:4"), std::chrono::minutes(2), f.warnings);
  REQUIRE(fourth.ok());
  fourth->status = RevisionStatus::kFailed;
  f.client.FailNext("PATCH", Error(ErrorKind::kForbidden, "secrets is forbidden"), "kubectl-llm.chat.v4");
  const Status refused = f.revisions.Finish(*fourth, 2);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message() == "updating revision 4 of chat: secrets is forbidden");
  CHECK(Indexed(f.client).at(4) == "failed");
}

TEST_CASE("workload revisions: the index follows every change, owned as the revisions are, and released with them") {
  Fixture f;
  auto first = f.revisions.Begin(Rendered("vllm:1"), std::chrono::minutes(2), f.warnings);
  REQUIRE(first.ok());
  // The first revision's index waits for Finish: without one, a history read lists the revisions, this
  // pending one included, and there is no deployed revision for a re-apply to hold.
  CHECK_FALSE(f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.index")).has_value());
  auto pending = f.revisions.List();
  REQUIRE(pending.ok());
  REQUIRE(pending->size() == 1);
  CHECK(pending->front().status == RevisionStatus::kPending);
  first->status = RevisionStatus::kDeployed;
  REQUIRE(f.revisions.Finish(*first, 2).ok());
  CHECK(Indexed(f.client) == std::map<int, std::string>{{1, "deployed"}});
  auto second = f.revisions.Begin(Rendered("vllm:2"), std::chrono::minutes(2), f.warnings);
  REQUIRE(second.ok());
  CHECK(Indexed(f.client) == std::map<int, std::string>{{1, "deployed"}, {2, "pending"}});
  second->status = RevisionStatus::kDeployed;
  REQUIRE(f.revisions.Finish(*second, 2).ok());

  f.client.Put(kube::core::Secrets("ml", "chat"), {{"kind", "Secret"}, {"metadata", json::object()}});
  for (RevisionStatus outcome : {RevisionStatus::kFailed, RevisionStatus::kDeployed}) {
    auto next = f.revisions.Begin(Rendered("vllm:2"), std::chrono::minutes(2), f.warnings);
    REQUIRE(next.ok());
    next->status = outcome;
    REQUIRE(f.revisions.Finish(*next, 2).ok());
  }
  // Revisions 1 and 2 pruned by --history-max 2, 3 failed, 4 deployed: what a list of the revisions says.
  CHECK(Indexed(f.client) == std::map<int, std::string>{{3, "failed"}, {4, "deployed"}});
  auto listed = f.revisions.List();
  REQUIRE(listed.ok());
  CHECK(listed->size() == 2);
  const json index = *f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.index"));
  CHECK(index["type"] == "kubectl-llm.dev/revision-index.v1");
  CHECK(LabelOf(index, "kubectl-llm.dev/revision-index-of") == "chat");
  CHECK(LabelOf(index, "kubectl-llm.dev/revision-of").empty());
  CHECK(index["metadata"]["ownerReferences"][0]["name"] == "chat");
  CHECK(f.client.applies().back().field_manager == "kubectl-llm-history");

  REQUIRE(f.revisions.Release().ok());
  CHECK_FALSE(
      f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.index"))->at("metadata").contains("ownerReferences"));
}

TEST_CASE("workload revisions: Finish reuses what Begin read, the history and the parent, under its lease") {
  Fixture f;
  f.client.Put(kube::core::Secrets("ml", "chat"), {{"kind", "Secret"}, {"metadata", json::object()}});
  auto first = f.revisions.Begin(Rendered("vllm:1"), std::chrono::minutes(2), f.warnings);
  REQUIRE(first.ok());
  first->status = RevisionStatus::kDeployed;
  REQUIRE(f.revisions.Finish(*first, 10).ok());

  auto reads = [&] {
    size_t parent = 0;
    for (const std::string& call : f.client.calls()) parent += call.starts_with("GET ") && call.ends_with(" ml/chat");
    return std::pair<size_t, size_t>{f.client.routes.requests().size(), parent};  // (lists, parent reads)
  };
  const auto before = reads();
  auto second = f.revisions.Begin(Rendered("vllm:2"), std::chrono::minutes(2), f.warnings);
  REQUIRE(second.ok());
  const auto begun = reads();
  CHECK(begun.first == before.first + 1);
  CHECK(begun.second == before.second + 1);
  second->status = RevisionStatus::kDeployed;
  REQUIRE(f.revisions.Finish(*second, 10).ok());
  CHECK(reads() == begun);  // no list, no read of the parent
  // And what it wrote is what a list says.
  CHECK(Indexed(f.client) == std::map<int, std::string>{{1, "superseded"}, {2, "deployed"}});
  CHECK(LabelOf(*f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.v1")), "kubectl-llm.dev/revision-status") ==
        "superseded");
  CHECK(f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.v2"))->at("metadata")["ownerReferences"][0]["name"] ==
        "chat");
}

TEST_CASE("workload revisions: Begin's read of the parent is handed to the apply, and the parent it made owns it") {
  Fixture f;
  auto parent_reads = [&] {
    return std::count(f.client.calls().begin(), f.client.calls().end(), "GET secrets ml/chat");
  };
  auto first = f.revisions.Begin(Rendered("vllm:1"), std::chrono::minutes(2), f.warnings);
  REQUIRE(first.ok());
  // There was none: the apply knows it without asking, and tells Finish the uid of the parent it made.
  REQUIRE(f.revisions.begun_parent().has_value());
  CHECK_FALSE(f.revisions.begun_parent()->object.has_value());
  f.client.Put(kube::core::Secrets("ml", "chat"), {{"kind", "Secret"}, {"metadata", json::object()}});
  const std::string uid = StringAt(*f.client.Find(kube::core::Secrets("ml", "chat")), {"metadata", "uid"});
  f.revisions.ParentApplied(uid);
  first->status = RevisionStatus::kDeployed;
  REQUIRE(f.revisions.Finish(*first, 10).ok());
  CHECK(parent_reads() == 1);
  CHECK(StringAt(*f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.v1")), {"metadata", "uid"}) != uid);
  const json owner = f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.v1"))->at("metadata")["ownerReferences"];
  CHECK(owner == json::array({{{"apiVersion", "v1"}, {"kind", "Secret"}, {"name", "chat"}, {"uid", uid}}}));

  // It exists: Begin hands over the object it read.
  auto second = f.revisions.Begin(Rendered("vllm:2"), std::chrono::minutes(2), f.warnings);
  REQUIRE(second.ok());
  REQUIRE(f.revisions.begun_parent().has_value());
  REQUIRE(f.revisions.begun_parent()->object.has_value());
  CHECK(StringAt(*f.revisions.begun_parent()->object, {"metadata", "uid"}) == uid);
  CHECK(parent_reads() == 2);

  // A read that failed for another reason hands nothing over: the apply reads for itself.
  f.client.FailNext("GET", Error(ErrorKind::kConnection, "connection refused"), "chat");
  second->status = RevisionStatus::kFailed;
  REQUIRE(f.revisions.Finish(*second, 10).ok());
  auto third = f.revisions.Begin(Rendered("vllm:3"), std::chrono::minutes(2), f.warnings);
  REQUIRE(third.ok());
  CHECK_FALSE(f.revisions.begun_parent().has_value());
}

TEST_CASE("workload revisions: an index that cannot be written when a revision begins is a warning, not a failure") {
  Fixture f;
  // As when the API server goes away just after the revision was created: failing Begin would leave the
  // revision pending for its whole lease, refusing every rerun.
  auto first = f.revisions.Begin(Rendered("vllm:1"), std::chrono::minutes(2), f.warnings);
  REQUIRE(first.ok());
  first->status = RevisionStatus::kDeployed;
  REQUIRE(f.revisions.Finish(*first, 10).ok());
  f.client.FailNext("JSONPATCH", Error(ErrorKind::kConnection, "Unable to connect to the server: unexpected EOF"),
                    "kubectl-llm.chat.index");
  auto begun = f.revisions.Begin(Rendered("vllm:2"), std::chrono::minutes(2), f.warnings);
  REQUIRE_MESSAGE(begun.ok(), (begun.ok() ? "" : begun.error().message()));
  CHECK(f.warnings.str() ==
        "Warning: updating the revision index of chat: Unable to connect to the server: unexpected EOF; history shows "
        "revision 2 once this command finishes\n");
  begun->status = RevisionStatus::kDeployed;
  REQUIRE(f.revisions.Finish(*begun, 10).ok());
  CHECK(Indexed(f.client) == std::map<int, std::string>{{1, "superseded"}, {2, "deployed"}});
}

/// The index's two at-rest annotations: (deployed digest, re-apply hold).
std::pair<std::string, std::string> AtRest(FakeRestClient& client) {
  std::optional<json> index = client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.index"));
  REQUIRE(index);
  return {AnnotationOf(*index, kDeployedDigestAnnotation), AnnotationOf(*index, kReapplyLeaseAnnotation)};
}

/// Records `image` as a deployed revision, as serve does.
RevisionAudit Deploy(Fixture& f, const std::string& image) {
  auto begun = f.revisions.Begin(Rendered(image), std::chrono::minutes(2), f.warnings);
  REQUIRE_MESSAGE(begun.ok(), (begun.ok() ? "" : begun.error().message()));
  begun->status = RevisionStatus::kDeployed;
  REQUIRE(f.revisions.Finish(*begun, 10).ok());
  return *begun;
}

TEST_CASE(
    "workload revisions: an unchanged re-apply reads the index, takes the deployed revision in one write sent with "
    "the parent's read, and gives it back") {
  Fixture f;
  const RevisionAudit first = Deploy(f, "vllm:1");
  const std::string digest = RenderedDigest(Rendered("vllm:1").objects);
  CHECK(AtRest(f.client) == std::pair<std::string, std::string>{digest, ""});

  const size_t before = f.client.calls().size();
  auto claimed = f.revisions.ClaimDeployed(digest, std::chrono::minutes(2));
  REQUIRE_MESSAGE(claimed.ok(), (claimed.ok() ? "" : claimed.error().message()));
  REQUIRE(*claimed);
  CHECK((*claimed)->number == 1);
  CHECK((*claimed)->change_cause == first.change_cause);
  CHECK(
      std::vector<std::string>(f.client.calls().begin() + static_cast<std::ptrdiff_t>(before),
                               f.client.calls().end()) ==
      std::vector<std::string>{"GET secrets ml/kubectl-llm.chat.index", "JSONPATCH secrets ml/kubectl-llm.chat.index"});
  // The claim goes with the read of the ApplySet parent that the apply under it makes first.
  REQUIRE_FALSE(f.client.prefetches().empty());
  CHECK(f.client.prefetches().back() == std::vector<std::string>{"GET secrets ml/chat"});
  CHECK(f.client.write_batches().back() == std::vector<std::string>{"PATCH secrets ml/kubectl-llm.chat.index"});
  CHECK(AtRest(f.client).second == "2027-01-15T08:02:00Z");

  // While held, a command recording a revision is refused, and its revision removed: nothing was applied.
  auto refused = f.revisions.Begin(Rendered("vllm:2"), std::chrono::minutes(2), f.warnings);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind() == ErrorKind::kConflict);
  CHECK(refused.error().message() ==
        "another command is applying chat again unchanged and holds it until 2027-01-15T08:02:00Z; nothing was "
        "applied, retry after that");
  CHECK_FALSE(f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.v2")));
  // And a second unchanged re-apply finds it held.
  WorkloadRevisions other(f.client, f.clock, "ml", "chat");
  auto second = other.ClaimDeployed(digest, std::chrono::minutes(2));
  REQUIRE(second.ok());
  CHECK_FALSE(*second);

  REQUIRE(f.revisions.ReleaseDeployed().ok());
  CHECK(AtRest(f.client) == std::pair<std::string, std::string>{digest, ""});
  CHECK(Indexed(f.client) == std::map<int, std::string>{{1, "deployed"}});  // no revision recorded
  CHECK(f.warnings.str().empty());
}

/// The JSON patches sent so far (claims and their releases).
size_t JsonPatches(const FakeRestClient& client) {
  return static_cast<size_t>(std::count_if(client.calls().begin(), client.calls().end(),
                                           [](const std::string& call) { return call.starts_with("JSONPATCH "); }));
}

TEST_CASE(
    "workload revisions: an unchanged re-apply declines another digest, a pending or failed revision, writing "
    "nothing") {
  Fixture f;
  const std::string digest1 = RenderedDigest(Rendered("vllm:1").objects);
  auto none = f.revisions.ClaimDeployed(digest1, std::chrono::minutes(2));  // no index yet
  REQUIRE(none.ok());
  CHECK_FALSE(*none);
  CHECK(f.client.calls() == std::vector<std::string>{"GET secrets ml/kubectl-llm.chat.index"});

  Deploy(f, "vllm:1");
  const size_t patches = JsonPatches(f.client);
  auto other = f.revisions.ClaimDeployed(RenderedDigest(Rendered("vllm:2").objects), std::chrono::minutes(2));
  REQUIRE(other.ok());
  CHECK_FALSE(*other);
  CHECK(JsonPatches(f.client) == patches);  // read, and declined without a write

  auto pending = f.revisions.Begin(Rendered("vllm:1"), std::chrono::minutes(2), f.warnings);
  REQUIRE(pending.ok());
  CHECK(AtRest(f.client) == std::pair<std::string, std::string>{"", ""});
  WorkloadRevisions second(f.client, f.clock, "ml", "chat");
  auto during = second.ClaimDeployed(digest1, std::chrono::minutes(2));
  REQUIRE(during.ok());
  CHECK_FALSE(*during);

  pending->status = RevisionStatus::kFailed;
  REQUIRE(f.revisions.Finish(*pending, 10).ok());
  auto after_failure = second.ClaimDeployed(digest1, std::chrono::minutes(2));
  REQUIRE(after_failure.ok());
  CHECK_FALSE(*after_failure);  // the live objects may be the failed revision's: that one records a revision
  CHECK(AtRest(f.client) == std::pair<std::string, std::string>{"", ""});
}

TEST_CASE("workload revisions: a re-apply's hold that was never given back is taken over once it ends") {
  Fixture f;
  Deploy(f, "vllm:1");
  WorkloadRevisions killed(f.client, f.clock, "ml", "chat");
  auto claimed = killed.ClaimDeployed(RenderedDigest(Rendered("vllm:1").objects), std::chrono::minutes(2));
  REQUIRE(claimed.ok());
  REQUIRE(*claimed);
  f.clock.Advance(std::chrono::minutes(3));
  const RevisionAudit second = Deploy(f, "vllm:2");
  CHECK(second.number == 2);
  CHECK(f.warnings.str() ==
        "Warning: a command applying chat again unchanged held it until 2027-01-15T08:02:00Z and ended without "
        "giving it back; taking over\n");
  CHECK(AtRest(f.client) == std::pair<std::string, std::string>{RenderedDigest(Rendered("vllm:2").objects), ""});
  // The late command's release finds the workload taken over.
  Status late = killed.ReleaseDeployed();
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().kind() == ErrorKind::kConflict);
}

TEST_CASE("workload revisions: an index written before re-apply holds existed is rewritten without a warning") {
  Fixture f;
  Deploy(f, "vllm:1");
  json index = *f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.index"));
  index["metadata"].erase("annotations");
  f.client.Put(kube::core::Secrets("ml", "kubectl-llm.chat.index"), index);
  auto claimed = f.revisions.ClaimDeployed(RenderedDigest(Rendered("vllm:1").objects), std::chrono::minutes(2));
  REQUIRE(claimed.ok());
  CHECK_FALSE(*claimed);
  Deploy(f, "vllm:1");
  CHECK(f.warnings.str().empty());
  CHECK(AtRest(f.client) == std::pair<std::string, std::string>{RenderedDigest(Rendered("vllm:1").objects), ""});
}

TEST_CASE("workload revisions: a lost connection while recording the outcome is tried again, not left pending") {
  Fixture f;
  auto begun = f.revisions.Begin(Rendered("vllm:1"), std::chrono::minutes(2), f.warnings);
  REQUIRE(begun.ok());
  // The API server restarting: the connection drops, then is refused, then it answers.
  f.client.FailNext("PATCH", Error(ErrorKind::kConnection, "Unable to connect to the server: EOF"),
                    "kubectl-llm.chat.v1");
  f.client.FailNext("PATCH", Error(ErrorKind::kConnection, "The connection to the server was refused"),
                    "kubectl-llm.chat.v1");
  begun->status = RevisionStatus::kFailed;
  REQUIRE(f.revisions.Finish(*begun, 10).ok());
  CHECK(LabelOf(*f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.v1")), "kubectl-llm.dev/revision-status") ==
        "failed");
  CHECK(f.clock.sleeps().size() == 2);

  // Other errors, and a server gone for good, are returned.
  auto second = f.revisions.Begin(Rendered("vllm:2"), std::chrono::minutes(2), f.warnings);
  REQUIRE(second.ok());
  for (int i = 0; i < 20; ++i) {
    f.client.FailNext("PATCH", Error(ErrorKind::kConnection, "Unable to connect to the server: EOF"),
                      "kubectl-llm.chat.v2");
  }
  second->status = RevisionStatus::kDeployed;
  const Status gone = f.revisions.Finish(*second, 10);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().kind() == ErrorKind::kConnection);
}

TEST_CASE("workload revisions: too large for one Secret is refused before anything is written") {
  Fixture f;
  Revision big = Rendered("vllm:1");
  std::mt19937 random(3);
  std::string noise;
  for (int i = 0; i < 1600 * 1024; ++i) noise += static_cast<char>('!' + random() % 90);
  big.objects.push_back({{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"data", {{"x", noise}}}});
  auto refused = f.revisions.Begin(big, std::chrono::minutes(2), f.warnings);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message().find("more than the 1048576 bytes a Secret may hold; nothing was applied") !=
        std::string::npos);
  CHECK_FALSE(f.client.Find(kube::core::Secrets("ml", "kubectl-llm.chat.v1")));
}

}  // namespace
}  // namespace llm
