#include "commands/validate_nodes_cleanup.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "fakes/fake_rest_client.h"
#include "kube/url_query.h"

namespace llm {
namespace {

constexpr char kPods[] = "/api/v1/namespaces/gpu-check/pods";
constexpr char kTimedOut[] = R"({"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Timeout",)"
                             R"("message":"Timeout: request did not complete within the allotted timeout","code":504})";

constexpr char kDeleted[] = R"({"kind":"Status","apiVersion":"v1","status":"Success"})";

/// The API server's answers to the pods' deletecollections, in order (the last
/// repeats); the Jobs and Services are deleted at once.
struct Fixture {
  testing::FakeRestClient client;
  explicit Fixture(std::vector<kube::HttpResponse> pod_answers) {
    client.routes.On("DELETE", "/apis/batch/v1/namespaces/gpu-check/jobs", testing::FakeTransport::Json(200, kDeleted));
    client.routes.On("DELETE", "/api/v1/namespaces/gpu-check/services", testing::FakeTransport::Json(200, kDeleted));
    for (kube::HttpResponse& answer : pod_answers) client.routes.On("DELETE", kPods, std::move(answer));
  }
  std::vector<std::string> Sent() const {
    std::vector<std::string> sent;
    for (const kube::HttpRequest& request : client.routes.requests()) sent.push_back(request.path);
    return sent;
  }
};

std::string Collection(const std::string& path, const std::string& selector) {
  return path + kube::EncodeQuery({{"labelSelector", selector}, {"propagationPolicy", "Background"}});
}

const std::string kRun = "kubectl-llm.dev/gpu-check-run=abcde";

TEST_CASE("validate-nodes clean-up deletes jobs, the pods a batch per request, then services") {
  Fixture f({testing::FakeTransport::Json(200, kDeleted)});
  REQUIRE(CleanUpValidationRun(f.client, "gpu-check", "abcde", /*namespace_created=*/false, /*pod_batches=*/3).ok());
  CHECK(f.Sent() == std::vector<std::string>{Collection("/apis/batch/v1/namespaces/gpu-check/jobs", kRun),
                                             Collection(kPods, kRun + ",kubectl-llm.dev/gpu-check-batch=0"),
                                             Collection(kPods, kRun + ",kubectl-llm.dev/gpu-check-batch=1"),
                                             Collection(kPods, kRun),
                                             Collection("/api/v1/namespaces/gpu-check/services", kRun)});
}

TEST_CASE("validate-nodes clean-up asks again for a deletecollection the API server timed out") {
  Fixture f({testing::FakeTransport::Json(504, kTimedOut), testing::FakeTransport::Json(200, kDeleted)});
  REQUIRE(CleanUpValidationRun(f.client, "gpu-check", "abcde", false, 1).ok());
  const std::vector<std::string> sent = f.Sent();
  REQUIRE(sent.size() == 4);
  CHECK(sent[1] == Collection(kPods, kRun));
  CHECK(sent[2] == sent[1]);
}

TEST_CASE("validate-nodes clean-up gives up after kCleanupAttempts timeouts and names what it was deleting") {
  Fixture f({testing::FakeTransport::Json(504, kTimedOut)});
  Status cleaned = CleanUpValidationRun(f.client, "gpu-check", "abcde", false, 1);
  REQUIRE_FALSE(cleaned.ok());
  CHECK(cleaned.error().message().find("deleting the gpu-check pods") != std::string::npos);
  CHECK(f.Sent().size() == 1 + kCleanupAttempts);  // the jobs, then the pods' attempts; no services
}

TEST_CASE("validate-nodes clean-up does not repeat a deletecollection refused for another reason") {
  Fixture f({testing::FakeTransport::Json(403, R"({"kind":"Status","apiVersion":"v1","status":"Failure",)"
                                               R"("reason":"Forbidden","message":"no","code":403})")});
  REQUIRE_FALSE(CleanUpValidationRun(f.client, "gpu-check", "abcde", false, 1).ok());
  CHECK(f.Sent().size() == 2);
}

}  // namespace
}  // namespace llm
