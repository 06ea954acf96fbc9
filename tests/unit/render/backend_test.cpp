#include "render/backend.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

TEST_CASE("serve picks Deployment for one node and LeaderWorkerSet for several") {
  const ServedKinds no_cluster;
  CHECK(*ChooseServeBackend(1, no_cluster, std::nullopt) == Backend::kDeployment);
  CHECK(*ChooseServeBackend(2, no_cluster, std::nullopt) == Backend::kLeaderWorkerSet);
  CHECK(*ChooseServeBackend(1, no_cluster, Backend::kLeaderWorkerSet) == Backend::kLeaderWorkerSet);
  auto bad = ChooseServeBackend(2, no_cluster, Backend::kDeployment);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind() == ErrorKind::kUsage);
  CHECK_FALSE(ChooseServeBackend(1, no_cluster, Backend::kJobSet).ok());
}

TEST_CASE("serve on several nodes names the CRD to install when LWS is not served") {
  const ServedKinds core_only = std::set<std::string, std::less<>>{};
  auto r = ChooseServeBackend(2, core_only, std::nullopt);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message().find("install LeaderWorkerSet") != std::string::npos);
  const ServedKinds with_lws = std::set<std::string, std::less<>>{std::string(kLeaderWorkerSetKind)};
  CHECK(*ChooseServeBackend(2, with_lws, std::nullopt) == Backend::kLeaderWorkerSet);
}

TEST_CASE("train uses JobSet when served, else an Indexed Job") {
  const ServedKinds core_only = std::set<std::string, std::less<>>{};
  const ServedKinds with_jobset = std::set<std::string, std::less<>>{std::string(kJobSetKind)};
  CHECK(*ChooseTrainBackend(std::nullopt, std::nullopt) == Backend::kJobSet);
  CHECK(*ChooseTrainBackend(with_jobset, std::nullopt) == Backend::kJobSet);
  CHECK(*ChooseTrainBackend(core_only, std::nullopt) == Backend::kIndexedJob);
  CHECK(*ChooseTrainBackend(with_jobset, Backend::kIndexedJob) == Backend::kIndexedJob);
  auto forced = ChooseTrainBackend(core_only, Backend::kJobSet);
  REQUIRE_FALSE(forced.ok());
  CHECK(forced.error().message().find("install JobSet") != std::string::npos);
  CHECK_FALSE(ChooseTrainBackend(core_only, Backend::kDeployment).ok());
}

TEST_CASE("backend names round-trip and unknown ones are usage errors") {
  for (Backend b :
       {Backend::kDeployment, Backend::kLeaderWorkerSet, Backend::kJobSet, Backend::kIndexedJob, Backend::kPod}) {
    CHECK(*ParseBackend(BackendName(b)) == b);
  }
  auto r = ParseBackend("statefulset");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kUsage);
  CHECK(r.error().message().starts_with("--backend: unknown backend 'statefulset'"));
}

}  // namespace
}  // namespace llm
