#include "workload/revision_record.h"

#include <doctest/doctest.h>

#include <random>

#include "util/base64.h"
#include "util/gzip.h"

namespace llm {
namespace {

using nlohmann::json;

json Deployment(const std::string& image) {
  json pod_spec;
  pod_spec["initContainers"] = json::array({{{"name", "fetch"}, {"image", "busybox:1"}}});
  pod_spec["containers"] =
      json::array({{{"name", "vllm"}, {"image", image}}, {{"name", "side"}, {"image", "busybox:1"}}});
  json deployment = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "chat"}}}};
  deployment["spec"]["template"]["spec"] = pod_spec;
  return deployment;
}

Revision SampleRevision() {
  Revision revision;
  RevisionAudit& a = revision.audit;
  a.workload = "chat";
  a.ns = "ml";
  a.number = 3;
  a.operation = "serve";
  a.status = RevisionStatus::kPending;
  a.started = "2026-12-04T10:00:00Z";
  a.user = "dev";
  a.groups = {"system:authenticated", "ml-team"};
  a.real_user = "admin";
  a.context = "kind-ml";
  a.server = "https://127.0.0.1:6443";
  a.command_line = "kubectl llm serve chat --token '<redacted>'";
  a.plugin_version = "0.1.0";
  a.lease_until = "2026-12-04T10:02:00Z";
  revision.objects = {Deployment("vllm/vllm-openai:v0.11.0"), {{"apiVersion", "v1"}, {"kind", "Service"}}};
  a.digest = RenderedDigest(revision.objects);
  a.images = ImageReferences(revision.objects);
  return revision;
}

TEST_CASE("revision record: a Secret of its own type, immutable, gzip payload, every audit field in metadata") {
  const Revision revision = SampleRevision();
  const json secret = RevisionSecret(revision);
  CHECK(secret["type"] == "kubectl-llm.dev/revision.v1");
  CHECK(secret["immutable"] == true);
  CHECK(secret["metadata"]["name"] == "kubectl-llm.chat.v3");
  CHECK(secret["metadata"]["namespace"] == "ml");
  CHECK(secret["metadata"]["labels"] == json{{"kubectl-llm.dev/revision-of", "chat"},
                                             {"kubectl-llm.dev/revision", "3"},
                                             {"kubectl-llm.dev/revision-status", "pending"},
                                             {"kubectl-llm.dev/operation", "serve"}});
  // The payload is gzip (magic 1f 8b) of a Revision document holding the objects.
  const std::string packed = *Base64Decode(secret["data"]["revision.json.gz"].get<std::string>());
  CHECK(static_cast<unsigned char>(packed[0]) == 0x1f);
  const json payload = json::parse(*GzipDecompress(packed));
  CHECK(payload["kind"] == "Revision");
  CHECK(payload["commandLine"] == "kubectl llm serve chat --token '<redacted>'");
  CHECK(payload["objects"] == json(revision.objects));

  // Listing reads metadata alone: a PartialObjectMetadata item (no data) gives every audit field back.
  const json partial = {{"kind", "PartialObjectMetadata"}, {"metadata", secret["metadata"]}};
  auto audit = ReadRevisionAudit(partial);
  REQUIRE(audit.ok());
  CHECK(audit->workload == "chat");
  CHECK(audit->number == 3);
  CHECK(audit->status == RevisionStatus::kPending);
  CHECK(audit->operation == "serve");
  CHECK(audit->user == "dev");
  CHECK(audit->groups == std::vector<std::string>{"system:authenticated", "ml-team"});
  CHECK(audit->real_user == "admin");
  CHECK(audit->context == "kind-ml");
  CHECK(audit->server == "https://127.0.0.1:6443");
  CHECK(audit->command_line == revision.audit.command_line);
  CHECK(audit->plugin_version == "0.1.0");
  CHECK(audit->digest == revision.audit.digest);
  CHECK(audit->images == std::vector<std::string>{"busybox:1", "vllm/vllm-openai:v0.11.0"});
  CHECK(audit->started == "2026-12-04T10:00:00Z");
  CHECK(audit->lease_until == "2026-12-04T10:02:00Z");
  CHECK(audit->secret_name == "kubectl-llm.chat.v3");

  auto objects = ReadRevisionObjects(secret);
  REQUIRE(objects.ok());
  CHECK(json(*objects) == json(revision.objects));
}

TEST_CASE("revision record: the status patch carries only what a revision learns later") {
  RevisionAudit audit = SampleRevision().audit;
  audit.status = RevisionStatus::kFailed;
  audit.finished = "2026-12-04T10:05:00Z";
  audit.wait_outcome = "failed";
  audit.reason = "pod chat-0: image vllm:nope cannot be pulled";
  audit.description = "Serve failed";
  audit.lease_until = "";
  const json patch = RevisionStatusPatch(audit);
  CHECK(patch["metadata"]["labels"] == json{{"kubectl-llm.dev/revision-status", "failed"}});
  const json& annotations = patch["metadata"]["annotations"];
  CHECK(annotations["revision.kubectl-llm.dev/finished"] == "2026-12-04T10:05:00Z");
  CHECK(annotations["revision.kubectl-llm.dev/wait"] == "failed");
  CHECK(annotations["revision.kubectl-llm.dev/reason"] == audit.reason);
  CHECK(annotations["revision.kubectl-llm.dev/description"] == "Serve failed");
  CHECK_FALSE(annotations.contains("revision.kubectl-llm.dev/user"));
  CHECK_FALSE(patch.contains("data"));
}

TEST_CASE("revision record: digests follow the objects, images are listed once each") {
  CHECK(RenderedDigest({Deployment("a:1")}) == RenderedDigest({Deployment("a:1")}));
  CHECK(RenderedDigest({Deployment("a:1")}) != RenderedDigest({Deployment("a:2")}));
  CHECK(ImageReferences({Deployment("a:1"), Deployment("a:1")}) == std::vector<std::string>{"busybox:1", "a:1"});
  CHECK(ImageReferences({}).empty());
}

TEST_CASE("revision record: metadata that is not a revision's is refused, naming the field") {
  json bad = {{"metadata", {{"name", "x"}, {"labels", {{"kubectl-llm.dev/revision-of", "chat"}}}}}};
  CHECK(ReadRevisionAudit(bad).error().message() ==
        "Secret x: label kubectl-llm.dev/revision must be a revision number (1 or more), got \"\"");
  bad["metadata"]["labels"]["kubectl-llm.dev/revision"] = "2";
  bad["metadata"]["labels"]["kubectl-llm.dev/revision-status"] = "done";
  CHECK(ReadRevisionAudit(bad).error().message() ==
        "Secret x: label kubectl-llm.dev/revision-status must be pending, deployed, superseded, failed or "
        "rolled-back, got \"done\"");
  CHECK(ReadRevisionAudit(json{{"metadata", {{"name", "y"}}}}).error().message() ==
        "Secret y: label kubectl-llm.dev/revision-of is missing");
  json no_payload = RevisionSecret(SampleRevision());
  no_payload["data"]["revision.json.gz"] = Base64Encode("not gzip");
  CHECK(ReadRevisionObjects(no_payload)
            .error()
            .message()
            .starts_with("Secret kubectl-llm.chat.v3: data.revision.json.gz: gzip: damaged data"));
}

TEST_CASE("revision record: a revision too large for one Secret is refused with its measured size") {
  Revision revision = SampleRevision();
  CHECK(CheckRevisionSize(RevisionSecret(revision)).ok());
  // Random characters barely compress: 1.6 MiB of them stay over the limit.
  std::mt19937 random(7);
  std::string noise;
  for (int i = 0; i < 1600 * 1024; ++i) noise += static_cast<char>('!' + random() % 90);
  revision.objects.push_back({{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"data", {{"blob", noise}}}});
  const json secret = RevisionSecret(revision);
  const Status refused = CheckRevisionSize(secret);
  REQUIRE_FALSE(refused.ok());
  const size_t size = Base64Decode(secret["data"]["revision.json.gz"].get<std::string>())->size();
  CHECK(refused.error().message() ==
        "revision kubectl-llm.chat.v3 would hold " + std::to_string(size) +
            " bytes of compressed objects, more than the 1048576 bytes a Secret may hold; nothing was applied "
            "(render it with `kubectl llm render` to see what is that large)");

  Revision long_command = SampleRevision();
  long_command.audit.command_line = std::string(300 * 1024, 'x');
  CHECK(CheckRevisionSize(RevisionSecret(long_command)).error().message().find("bytes of annotations") !=
        std::string::npos);
}

}  // namespace
}  // namespace llm
