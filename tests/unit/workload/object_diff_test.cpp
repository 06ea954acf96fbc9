#include "workload/object_diff.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

nlohmann::json Deployment(int replicas) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata",
           {{"name", "chat"},
            {"namespace", "default"},
            {"generation", 3},
            {"resourceVersion", "54001"},
            {"managedFields", {{{"manager", "kubectl-llm"}, {"operation", "Apply"}}}}}},
          {"spec", {{"replicas", replicas}}},
          {"status", {{"replicas", 1}}}};
}

TEST_CASE("only managedFields is dropped, as kubectl diff does by default") {
  nlohmann::json object = OmitManagedFields(Deployment(1));
  CHECK_FALSE(object["metadata"].contains("managedFields"));
  CHECK(object["metadata"]["generation"] == 3);
  CHECK(object["metadata"]["resourceVersion"] == "54001");
  CHECK(object.contains("status"));
  CHECK(OmitManagedFields(nullptr).is_null());
}

TEST_CASE("DiffFileName is kubectl diff's <group.>version.Kind.namespace.name") {
  CHECK(DiffFileName(Deployment(1)) == "apps.v1.Deployment.default.chat");
  CHECK(DiffFileName(
            {{"apiVersion", "v1"}, {"kind", "Service"}, {"metadata", {{"name", "chat"}, {"namespace", "ml"}}}}) ==
        "v1.Service.ml.chat");
}

TEST_CASE("Secret data is masked like kubectl's Masker") {
  nlohmann::json live = {{"apiVersion", "v1"},
                         {"kind", "Secret"},
                         {"data", {{"same", "c2FtZQ=="}, {"changed", "b2xk"}, {"removed", "eA=="}}}};
  nlohmann::json merged = {{"apiVersion", "v1"},
                           {"kind", "Secret"},
                           {"data", {{"same", "c2FtZQ=="}, {"changed", "bmV3"}, {"added", "eQ=="}}}};
  MaskSecretData(live, merged);
  CHECK(live["data"] == nlohmann::json{{"same", "***"}, {"changed", "*** (before)"}, {"removed", "***"}});
  CHECK(merged["data"] == nlohmann::json{{"same", "***"}, {"changed", "*** (after)"}, {"added", "***"}});

  nlohmann::json absent = nullptr;
  nlohmann::json created = {{"apiVersion", "v1"}, {"kind", "Secret"}, {"data", {{"token", "aGY="}}}};
  MaskSecretData(absent, created);
  CHECK(created["data"]["token"] == "***");

  // A removed Secret (pruned, or absent from a later revision) is masked too.
  nlohmann::json removed = {{"apiVersion", "v1"}, {"kind", "Secret"}, {"data", {{"token", "aGY="}}}};
  nlohmann::json none = nullptr;
  MaskSecretData(removed, none);
  CHECK(removed["data"]["token"] == "***");

  nlohmann::json config = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"data", {{"k", "v"}}}};
  nlohmann::json config_live = config;
  MaskSecretData(config_live, config);
  CHECK(config["data"]["k"] == "v");
}

TEST_CASE("DiffObject: a changed field, managed fields hidden, and a new object") {
  CHECK(DiffObject(Deployment(1), Deployment(1)).empty());
  CHECK(DiffObject(Deployment(1), Deployment(2)) ==
        "--- LIVE/apps.v1.Deployment.default.chat\n"
        "+++ MERGED/apps.v1.Deployment.default.chat\n"
        "@@ -6,6 +6,6 @@\n"
        "   namespace: default\n"
        "   resourceVersion: \"54001\"\n"
        " spec:\n"
        "-  replicas: 1\n"
        "+  replicas: 2\n"
        " status:\n"
        "   replicas: 1\n");
  nlohmann::json other_manager = Deployment(1);
  other_manager["metadata"]["managedFields"][0]["manager"] = "kubectl";
  CHECK(DiffObject(Deployment(1), other_manager).empty());
  CHECK_FALSE(DiffObject(Deployment(1), other_manager, /*show_managed_fields=*/true).empty());
  std::string created = DiffObject(nullptr, Deployment(1));
  CHECK(
      created.starts_with("--- LIVE/apps.v1.Deployment.default.chat\n+++ MERGED/apps.v1.Deployment.default.chat\n"
                          "@@ -0,0 +1,11 @@\n+apiVersion: apps/v1\n"));
  std::string pruned = DiffObject(Deployment(1), nullptr);
  CHECK(pruned.starts_with("--- LIVE/apps.v1.Deployment.default.chat\n"));
  CHECK(pruned.find("@@ -1,11 +0,0 @@\n") != std::string::npos);
}

TEST_CASE("DiffObjectAs labels each side with its own directory") {
  CHECK(DiffObjectAs(Deployment(1), Deployment(1), "REVISION-1", "LIVE").empty());
  const std::string text = DiffObjectAs(Deployment(1), Deployment(3), "REVISION-1", "REVISION-2");
  CHECK(text.starts_with(
      "--- REVISION-1/apps.v1.Deployment.default.chat\n+++ REVISION-2/apps.v1.Deployment.default.chat\n"));
  CHECK(text.find("-  replicas: 1\n+  replicas: 3\n") != std::string::npos);
  nlohmann::json secret = {{"apiVersion", "v1"},
                           {"kind", "Secret"},
                           {"metadata", {{"name", "s"}, {"namespace", "default"}}},
                           {"data", {{"token", "aGY="}}}};
  const std::string removed = DiffObjectAs(secret, nullptr, "REVISION-1", "LIVE");
  CHECK(removed.find("--- REVISION-1/v1.Secret.default.s\n") != std::string::npos);
  CHECK(removed.find("aGY=") == std::string::npos);
  CHECK(removed.find("-  token: ") != std::string::npos);
  CHECK(removed.find("***") != std::string::npos);
}

}  // namespace
}  // namespace llm
