#include "workload/revision_index.h"

#include <doctest/doctest.h>

#include "kube/object_fields.h"
#include "util/base64.h"
#include "util/gzip.h"

namespace llm {
namespace {

using nlohmann::json;

RevisionAudit Audit(int number, RevisionStatus status) {
  RevisionAudit a;
  a.workload = "chat";
  a.ns = "ml";
  a.number = number;
  a.operation = number == 1 ? "serve" : "scale";
  a.status = status;
  a.started = "2026-12-05T10:00:0" + std::to_string(number) + "Z";
  a.finished = "2026-12-05T10:01:00Z";
  a.user = "dev";
  a.groups = {"system:authenticated", "ml"};
  a.real_user = number == 2 ? "admin" : "";
  a.command_line = "kubectl llm serve chat --set hfToken=<redacted>";
  a.digest = "digest-" + std::to_string(number);
  a.images = {"vllm/vllm-openai:v0.6.3", "busybox:1"};
  a.wait_outcome = "ready";
  a.description = "Upgrade complete";
  a.change_cause = "kubectl llm serve chat";
  a.secret_name = "kubectl-llm.chat.v" + std::to_string(number);
  return a;
}

/// What ReadRevisionAudit gives for a revision, as a comparable document.
json Fields(const RevisionAudit& a) {
  return {a.workload,     a.ns,           a.number,       a.operation,      RevisionStatusName(a.status),
          a.started,      a.finished,     a.user,         a.groups,         a.real_user,
          a.context,      a.server,       a.command_line, a.plugin_version, a.digest,
          a.images,       a.wait_outcome, a.reason,       a.description,    a.lease_until,
          a.change_cause, a.secret_name};
}

TEST_CASE("revision index: every audit field of every revision reads back as a revision Secret's metadata does") {
  const std::vector<RevisionAudit> revisions = {Audit(2, RevisionStatus::kDeployed),
                                                Audit(1, RevisionStatus::kSuperseded)};
  const json index = RevisionIndexSecret("chat", "ml", revisions);
  CHECK(NameOf(index) == "kubectl-llm.chat.index");
  CHECK(index["type"] == "kubectl-llm.dev/revision-index.v1");
  CHECK(LabelOf(index, "kubectl-llm.dev/revision-index-of") == "chat");
  CHECK(LabelOf(index, kRevisionOfLabel).empty());
  auto entries = RevisionIndexEntries(index);
  REQUIRE(entries.ok());
  REQUIRE(entries->size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    auto audit = ReadRevisionAudit((*entries)[i]);
    REQUIRE(audit.ok());
    CHECK(Fields(*audit) == Fields(revisions[1 - i]));  // oldest first
    // The same metadata the revision's own Secret carries.
    CHECK((*entries)[i]["metadata"] == RevisionMetadata(revisions[1 - i]));
  }
  CHECK(GzipDataBytes(index, kRevisionIndexKey) ==
        Base64Decode(index["data"]["index.json.gz"].get<std::string>())->size());
}

TEST_CASE("revision index: a damaged index says what is wrong") {
  json index = RevisionIndexSecret("chat", "ml", {Audit(1, RevisionStatus::kDeployed)});
  auto message = [&](const std::string& data) {
    index["data"]["index.json.gz"] = data;
    return RevisionIndexEntries(index).error().message();
  };
  CHECK(message("") == "Secret kubectl-llm.chat.index: data.index.json.gz is missing");
  CHECK(message("%%%") == "Secret kubectl-llm.chat.index: data.index.json.gz is not base64");
  CHECK(message(Base64Encode(GzipCompress(R"({"kind":"Other"})"))) ==
        "Secret kubectl-llm.chat.index: data.index.json.gz holds no RevisionIndex with a revisions list");
  CHECK(message(Base64Encode(GzipCompress(R"({"kind":"RevisionIndex","revisions":[1]})"))) ==
        "Secret kubectl-llm.chat.index: data.index.json.gz: each revision must be an object");
}

}  // namespace
}  // namespace llm
