#include "kube/rest_client_impl.h"

#include <sstream>

#include <doctest/doctest.h>

#include "kube/paged_list.h"

#include "fakes/fake_clock.h"
#include "fakes/fake_process_runner.h"
#include "fakes/fake_transport.h"

namespace llm::kube {
namespace {

using testing::FakeClock;
using testing::FakeTransport;

const ResourceRef kDeploy{"apps", "v1", "deployments", "ns", "web", ""};

std::string HeaderValue(const HttpRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

std::string Query(const HttpRequest& r) {
  auto q = r.path.find('?');
  return q == std::string::npos ? "" : r.path.substr(q + 1);
}

struct Harness {
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::ostringstream err;
  std::shared_ptr<RestClientImpl> client;

  explicit Harness(std::shared_ptr<Authenticator> auth = nullptr, int verbosity = 0) {
    RestClientOptions options;
    options.server = "https://h:6443";
    options.user_agent = "kubectl-llm/v0 (linux/amd64)";
    options.verbosity = verbosity;
    options.log = &err;
    options.warnings = &err;
    options.request_timeout = std::chrono::seconds(7);
    client = std::make_shared<RestClientImpl>(transport, std::move(auth), clock, options);
  }
};

constexpr const char* kNotFound =
    R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"deployments.apps \"web\" not found",)"
    R"("reason":"NotFound","details":{"name":"web","group":"apps","kind":"deployments"},"code":404})";

TEST_CASE("Get sends Accept, User-Agent and the request timeout - NotFound is kubectl's message") {
  Harness h;
  h.transport->On("GET", kDeploy.Path(), FakeTransport::Json(200, R"({"kind":"Deployment"})"));
  auto got = h.client->Get(kDeploy);
  REQUIRE(got.ok());
  CHECK((*got)["kind"] == "Deployment");
  const HttpRequest& sent = h.transport->requests().at(0);
  CHECK(sent.path == "/apis/apps/v1/namespaces/ns/deployments/web?timeout=7s");
  CHECK(HeaderValue(sent, "Accept") == "application/json");
  CHECK(HeaderValue(sent, "User-Agent") == "kubectl-llm/v0 (linux/amd64)");
  CHECK(sent.timeout == std::chrono::seconds(7));

  Harness missing;
  missing.transport->On("GET", kDeploy.Path(), FakeTransport::Json(404, kNotFound));
  auto r = missing.client->Get(kDeploy);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kNotFound);
  CHECK(r.error().message() == "Error from server (NotFound): deployments.apps \"web\" not found");
}

TEST_CASE("List follows continue tokens with limit, and drops resourceVersion after the first page") {
  Harness h;
  ResourceRef cms{"", "v1", "configmaps", "ns", "", ""};
  h.transport->OnHandler("GET", cms.Path(), [](const HttpRequest& r) -> Result<HttpResponse> {
    std::string q = Query(r);
    if (q.find("continue=") == std::string::npos) {
      return FakeTransport::Json(200, R"({"kind":"ConfigMapList","metadata":{"resourceVersion":"10",)"
                                      R"("continue":"tok/1+="},"items":[{"metadata":{"name":"a"}}]})");
    }
    if (q.find("continue=tok%2F1%2B%3D") != std::string::npos) {
      return FakeTransport::Json(200, R"({"kind":"ConfigMapList","metadata":{"resourceVersion":"10",)"
                                      R"("continue":"tok2"},"items":[{"metadata":{"name":"b"}}]})");
    }
    return FakeTransport::Json(200, R"({"kind":"ConfigMapList","metadata":{"resourceVersion":"10"},)"
                                    R"("items":[{"metadata":{"name":"c"}}]})");
  });
  ListOptions options;
  options.limit = 1;
  options.label_selector = "app.kubernetes.io/managed-by=kubectl-llm,tier!=x";
  options.resource_version = "5";
  auto list = h.client->List(cms, options);
  REQUIRE(list.ok());
  REQUIRE((*list)["items"].size() == 3);
  CHECK((*list)["items"][2]["metadata"]["name"] == "c");
  CHECK_FALSE((*list)["metadata"].contains("continue"));
  REQUIRE(h.transport->requests().size() == 3);
  CHECK(Query(h.transport->requests()[0]) ==
        "labelSelector=app.kubernetes.io%2Fmanaged-by%3Dkubectl-llm%2Ctier%21%3Dx&limit=1&resourceVersion=5&"
        "timeout=7s");
  CHECK(Query(h.transport->requests()[1]).find("resourceVersion") == std::string::npos);
  CHECK(Query(h.transport->requests()[1]).find("limit=1") != std::string::npos);
}

TEST_CASE("an expired continue token falls back to one full list") {
  Harness h;
  ResourceRef pods{"", "v1", "pods", "ns", "", ""};
  h.transport->OnHandler("GET", pods.Path(), [](const HttpRequest& r) -> Result<HttpResponse> {
    std::string q = Query(r);
    if (q.find("continue=") != std::string::npos) {
      return FakeTransport::Json(410, R"({"kind":"Status","reason":"Expired","message":"too old","code":410})");
    }
    if (q.find("limit=") != std::string::npos) {
      return FakeTransport::Json(200, R"({"metadata":{"continue":"t"},"items":[{"n":1}]})");
    }
    return FakeTransport::Json(200, R"({"metadata":{},"items":[{"n":1},{"n":2}]})");
  });
  auto list = h.client->List(pods, ListOptions{});
  REQUIRE(list.ok());
  CHECK((*list)["items"].size() == 2);
  CHECK(Query(h.transport->requests().back()) == "timeout=7s");  // no limit, no continue
}

TEST_CASE("keep_item cuts each page's items down as the page arrives, and drops the ones it refuses") {
  Harness h;
  ResourceRef nodes{"", "v1", "nodes", "", "", ""};
  int seen = 0;
  int seen_before_second_page = -1;
  h.transport->OnHandler("GET", nodes.Path(), [&](const HttpRequest& r) -> Result<HttpResponse> {
    if (Query(r).find("continue=") == std::string::npos) {
      return FakeTransport::Json(200, R"({"metadata":{"continue":"t"},"items":[)"
                                      R"({"metadata":{"name":"a"},"status":{"images":["big"]}},)"
                                      R"({"metadata":{"name":"cpu"},"status":{"images":["big"]}}]})");
    }
    seen_before_second_page = seen;
    return FakeTransport::Json(200, R"({"metadata":{},"items":[{"metadata":{"name":"b"},"status":{"images":["x"]}}]})");
  });
  ListOptions options;
  options.limit = 2;
  options.keep_item = [&seen](nlohmann::json& node) {
    ++seen;
    node["status"].erase("images");
    return node["metadata"]["name"] != "cpu";
  };
  auto list = h.client->List(nodes, options);
  REQUIRE(list.ok());
  CHECK(seen_before_second_page == 2);
  CHECK(seen == 3);
  CHECK((*list)["items"] == nlohmann::json::parse(R"([{"metadata":{"name":"a"},"status":{}},)"
                                                  R"({"metadata":{"name":"b"},"status":{}}])"));
}

TEST_CASE("Apply is an SSA PATCH with fieldManager, force, dryRun and Strict validation") {
  Harness h;
  h.transport->On("PATCH", kDeploy.Path(), FakeTransport::Json(200, R"({"kind":"Deployment"})"));
  nlohmann::json object = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "web"}}}};
  ResourceRef unnamed = kDeploy;
  unnamed.name.clear();
  ApplyOptions options;
  options.force = true;
  options.dry_run = true;
  REQUIRE(h.client->Apply(unnamed, object, options).ok());  // the name comes from the object
  const HttpRequest& sent = h.transport->requests().at(0);
  CHECK(sent.method == "PATCH");
  CHECK(sent.path.starts_with("/apis/apps/v1/namespaces/ns/deployments/web?"));
  CHECK(Query(sent) == "fieldManager=kubectl-llm&force=true&dryRun=All&fieldValidation=Strict&timeout=7s");
  CHECK(HeaderValue(sent, "Content-Type") == "application/apply-patch+yaml");
  CHECK(nlohmann::json::parse(sent.body) == object);
}

TEST_CASE("ApplyObject says whether the apply created the object: 201 against 200") {
  Harness h;
  h.transport->On("PATCH", kDeploy.Path(),
                  FakeTransport::Json(201, R"({"kind":"Deployment","metadata":{"name":"web"}})"));
  h.transport->On("PATCH", kDeploy.Path(), FakeTransport::Json(200, R"({"kind":"Deployment"})"));
  auto created = h.client->ApplyObject(kDeploy, {{"kind", "Deployment"}}, ApplyOptions{});
  REQUIRE(created.ok());
  CHECK(created->created);
  CHECK(created->object["metadata"]["name"] == "web");
  auto existed = h.client->ApplyObject(kDeploy, {{"kind", "Deployment"}}, ApplyOptions{});
  REQUIRE(existed.ok());
  CHECK_FALSE(existed->created);
}

/// The API server's 409 for an apply that would take .spec.replicas from kubectl.
constexpr const char* kReplicasConflict =
    R"({"kind":"Status","message":"Apply failed with 1 conflict: conflict with \"kubectl\" using apps/v1: )"
    R"(.spec.replicas","reason":"Conflict","details":{"causes":[{"reason":"FieldManagerConflict","message":)"
    R"("conflict with \"kubectl\" using apps/v1","field":".spec.replicas"}]},"code":409})";

TEST_CASE("an SSA conflict is returned at once, never retried, with the --force-conflicts hint") {
  Harness h;
  h.transport->On("PATCH", kDeploy.Path(), FakeTransport::Json(409, kReplicasConflict));
  auto r = h.client->Apply(kDeploy, {{"kind", "Deployment"}}, ApplyOptions{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kConflict);
  CHECK(r.error().message().starts_with(
      "Apply failed with 1 conflict: conflict with \"kubectl\" using apps/v1: .spec.replicas\nPlease review"));
  CHECK(h.transport->requests().size() == 1);
}

TEST_CASE("Create posts to the collection - MergePatch and subresources - Delete sends DeleteOptions") {
  Harness h;
  ResourceRef collection = kDeploy;
  collection.name.clear();
  h.transport->On("POST", collection.Path(), FakeTransport::Json(201, R"({"kind":"Deployment"})"));
  REQUIRE(h.client->Create(kDeploy, {{"kind", "Deployment"}}, /*dry_run=*/true).ok());
  CHECK(h.transport->requests().at(0).path ==
        "/apis/apps/v1/namespaces/ns/deployments?fieldManager=kubectl-llm&fieldValidation=Strict&dryRun=All&"
        "timeout=7s");

  ResourceRef scale = kDeploy;
  scale.subresource = "scale";
  h.transport->On("PATCH", scale.Path(), FakeTransport::Json(200, R"({"kind":"Scale"})"));
  REQUIRE(h.client->MergePatch(scale, {{"spec", {{"replicas", 3}}}}, false).ok());
  const HttpRequest& patch = h.transport->requests().at(1);
  CHECK(patch.path == "/apis/apps/v1/namespaces/ns/deployments/web/scale?fieldManager=kubectl-llm&timeout=7s");
  CHECK(HeaderValue(patch, "Content-Type") == "application/merge-patch+json");
  CHECK(patch.body == R"({"spec":{"replicas":3}})");

  h.transport->On("DELETE", kDeploy.Path(), FakeTransport::Json(200, R"({"kind":"Status","status":"Success"})"));
  DeleteOptions del;
  del.propagation_policy = "Foreground";
  del.grace_period_seconds = 0;
  del.dry_run = true;
  REQUIRE(h.client->Delete(kDeploy, del).ok());
  CHECK(nlohmann::json::parse(h.transport->requests().at(2).body) ==
        nlohmann::json::parse(R"({"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Foreground",)"
                              R"("gracePeriodSeconds":0,"dryRun":["All"]})"));

  Harness gone;
  gone.transport->On("DELETE", kDeploy.Path(), FakeTransport::Json(404, kNotFound));
  auto r = gone.client->Delete(kDeploy, DeleteOptions{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind() == ErrorKind::kNotFound);
}

TEST_CASE("429 with Retry-After is retried after the server's delay, through the clock") {
  Harness h;
  HttpResponse busy = FakeTransport::Json(429, R"({"kind":"Status","reason":"TooManyRequests","code":429})");
  busy.headers.emplace_back("Retry-After", "2");
  h.transport->On("PATCH", kDeploy.Path(), busy);
  h.transport->On("PATCH", kDeploy.Path(), FakeTransport::Json(200, "{}"));
  REQUIRE(h.client->Apply(kDeploy, {{"kind", "Deployment"}}, ApplyOptions{}).ok());
  CHECK(h.transport->requests().size() == 2);
  CHECK(h.clock->sleeps() == std::vector<std::chrono::nanoseconds>{std::chrono::seconds(2)});
}

TEST_CASE("retries are bounded - the last error is returned") {
  Harness h;
  HttpResponse busy = FakeTransport::Json(503, R"({"kind":"Status","message":"down","code":503})");
  busy.headers.emplace_back("Retry-After", "1");
  h.transport->On("GET", kDeploy.Path(), busy);
  auto r = h.client->Get(kDeploy);
  REQUIRE_FALSE(r.ok());
  CHECK(h.transport->requests().size() == 11);
  CHECK(r.error().message() == "Error from server: down");
}

TEST_CASE("a connection reset is retried for GET but not for POST, an unknown host is not retried at all") {
  const Error reset = UnableToConnectError("read tcp 127.0.0.1:50000->127.0.0.1:6443: read: connection reset by peer");
  Harness h;
  int calls = 0;
  h.transport->OnHandler("GET", kDeploy.Path(), [&](const HttpRequest&) -> Result<HttpResponse> {
    if (++calls == 1) return reset;
    return FakeTransport::Json(200, "{}");
  });
  CHECK(h.client->Get(kDeploy).ok());
  CHECK(calls == 2);

  Harness typo;
  typo.transport->OnHandler("GET", kDeploy.Path(), [](const HttpRequest&) -> Result<HttpResponse> {
    return UnableToConnectError("dial tcp: lookup nonexistent.invalid: no such host");
  });
  auto lookup = typo.client->Get(kDeploy);
  REQUIRE_FALSE(lookup.ok());
  CHECK(lookup.error().message() ==
        "Unable to connect to the server: dial tcp: lookup nonexistent.invalid: no such host");
  CHECK(typo.transport->requests().size() == 1);
  CHECK(typo.clock->sleeps().empty());

  Harness post;
  ResourceRef collection = kDeploy;
  collection.name.clear();
  post.transport->OnHandler("POST", collection.Path(),
                            [&](const HttpRequest&) -> Result<HttpResponse> { return reset; });
  auto r = post.client->Create(collection, {{"kind", "Deployment"}}, false);
  REQUIRE_FALSE(r.ok());
  CHECK(post.transport->requests().size() == 1);
}

TEST_CASE("Warning headers are printed once each as 'Warning: ...'") {
  Harness h;
  HttpResponse warned = FakeTransport::Json(200, "{}");
  warned.headers.emplace_back("Warning", R"(299 - "v1 ComponentStatus is deprecated in v1.19+")");
  h.transport->On("GET", kDeploy.Path(), warned);
  const int received = ServerWarningsReceived();
  REQUIRE(h.client->Get(kDeploy).ok());
  REQUIRE(h.client->Get(kDeploy).ok());
  CHECK(h.err.str() == "Warning: v1 ComponentStatus is deprecated in v1.19+\n");
  // --warnings-as-errors counts what the server sent, once each; the client's own warnings are not counted.
  CHECK(ServerWarningsReceived() == received + 1);
  h.client->Warn("insecure");
  CHECK(ServerWarningsReceived() == received + 1);
}

std::shared_ptr<Authenticator> ExecAuth(std::shared_ptr<testing::FakeProcessRunner> runner, FakeClock& clock) {
  ExecConfig exec;
  exec.api_version = "client.authentication.k8s.io/v1";
  exec.command = "plugin";
  exec.interactive_mode = "Never";
  auto provider = std::make_unique<ExecCredentialProvider>(exec, ExecClusterInfo{}, runner, clock, false);
  return std::make_shared<Authenticator>(ClientConfig{}, std::move(provider), clock);
}

constexpr const char* kUnauthorized =
    R"({"kind":"Status","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401})";

TEST_CASE("a 401 refreshes the exec credential and retries once") {
  FakeClock auth_clock;
  auto runner = std::make_shared<testing::FakeProcessRunner>();
  runner->Answer(testing::ExecReply("revoked"));
  runner->Answer(testing::ExecReply("fresh"));
  Harness h(ExecAuth(runner, auth_clock));
  h.transport->OnHandler("GET", kDeploy.Path(), [](const HttpRequest& r) -> Result<HttpResponse> {
    if (HeaderValue(r, "Authorization") == "Bearer fresh") return FakeTransport::Json(200, "{}");
    return FakeTransport::Json(401, kUnauthorized);
  });
  REQUIRE(h.client->Get(kDeploy).ok());
  CHECK(runner->runs() == 2);
  CHECK(h.transport->requests().size() == 2);
}

TEST_CASE("a proxied request gets the backend's answer as it came, the API server's own Status is still an Error") {
  FakeClock auth_clock;
  auto runner = std::make_shared<testing::FakeProcessRunner>();
  runner->Answer(testing::ExecReply("token"));
  Harness h(ExecAuth(runner, auth_clock));
  const std::string proxy = "/api/v1/namespaces/ns/pods/chat-0:8000/proxy/v1/models";
  // The engine's own 401 (started with --api-key): no credential refresh, no retry.
  kube::HttpResponse engine_401 = FakeTransport::Json(401, R"({"error":"Unauthorized"})");
  h.transport->On("GET", proxy, engine_401);
  HttpRequest request;
  request.path = proxy;
  auto answer = h.client->Do(request);
  REQUIRE(answer.ok());
  CHECK(answer->status == 401);
  CHECK(answer->body == R"({"error":"Unauthorized"})");
  CHECK(runner->runs() == 1);
  // A 503 with Retry-After from the engine is not retried either.
  kube::HttpResponse busy = FakeTransport::Json(503, "overloaded");
  busy.headers.emplace_back("Retry-After", "1");
  h.transport->On("GET", "/api/v1/namespaces/ns/pods/chat-0:8000/proxy/health", busy);
  request.path = "/api/v1/namespaces/ns/pods/chat-0:8000/proxy/health";
  auto health = h.client->Do(request);
  REQUIRE(health.ok());
  CHECK(health->status == 503);
  CHECK(h.transport->requests().size() == 2);
  // The API server refusing (RBAC) answers with a Status: kubectl's Forbidden error.
  h.transport->On("GET", "/api/v1/namespaces/ns/services/chat:8000/proxy/v1/models",
                  FakeTransport::Json(403, R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":)"
                                           R"("services \"chat\" is forbidden","reason":"Forbidden","code":403})"));
  request.path = "/api/v1/namespaces/ns/services/chat:8000/proxy/v1/models";
  auto refused = h.client->Do(request);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind() == ErrorKind::kForbidden);
  CHECK(refused.error().message() == "Error from server (Forbidden): services \"chat\" is forbidden");
}

TEST_CASE("a 401 after the refresh is final: kubectl's message, no loop") {
  FakeClock auth_clock;
  auto runner = std::make_shared<testing::FakeProcessRunner>();
  runner->Answer(testing::ExecReply("always-bad"));
  Harness h(ExecAuth(runner, auth_clock));
  h.transport->On("GET", kDeploy.Path(), FakeTransport::Json(401, kUnauthorized));
  auto r = h.client->Get(kDeploy);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "You must be logged in to the server (Unauthorized)");
  CHECK(runner->runs() == 2);
  CHECK(h.transport->requests().size() == 2);
}

TEST_CASE("-v=8 logs through the pipeline without the token") {
  FakeClock auth_clock;
  ClientConfig config;
  config.token = "sekret-token";
  Harness h(std::make_shared<Authenticator>(config, nullptr, auth_clock), 8);
  h.transport->On("GET", kDeploy.Path(), FakeTransport::Json(200, R"({"kind":"Secret","data":{"k":"c2Vrcg=="}})"));
  REQUIRE(h.client->Get(kDeploy).ok());
  CHECK(HeaderValue(h.transport->requests().at(0), "Authorization") == "Bearer sekret-token");
  std::string log = h.err.str();
  CHECK(log.find("GET https://h:6443/apis/apps/v1/namespaces/ns/deployments/web?timeout=7s 200 OK in 0 milliseconds") !=
        std::string::npos);
  CHECK(log.find("Authorization: Bearer <masked>") != std::string::npos);
  CHECK(log.find("sekret-token") == std::string::npos);
  CHECK(log.find("c2Vrcg==") == std::string::npos);
}

TEST_CASE("Stream delivers chunks - a retry happens only before any chunk was delivered") {
  Harness h;
  ResourceRef pods{"", "v1", "pods", "ns", "", ""};
  h.transport->OnStream("GET", pods.Path(), {"{\"type\":\"ADDED\"}\n", "{\"type\":\"DELETED\"}\n"});
  std::string got;
  HttpRequest request;
  request.path = pods.Path() + "?watch=1";
  auto r = h.client->Stream(request, [&](std::string_view chunk) {
    got += chunk;
    return true;
  });
  REQUIRE(r.ok());
  CHECK(got == "{\"type\":\"ADDED\"}\n{\"type\":\"DELETED\"}\n");
  CHECK(h.transport->requests().at(0).timeout.count() == 0);  // never a whole-request timeout on a watch
  CHECK(h.transport->requests().at(0).path ==
        pods.Path() + "?watch=1&timeout=7s");  // but the server is told, as client-go does
}

TEST_CASE("the request timeout goes to the server as ?timeout= in Go's duration format") {
  Harness h;  // --request-timeout=7s
  h.transport->On("GET", kDeploy.Path(), FakeTransport::Json(200, "{}"));
  HttpRequest shorter;  // a caller's own shorter limit is the one kept and sent
  shorter.path = kDeploy.Path() + "?pretty=false";
  shorter.timeout = std::chrono::milliseconds(1500);
  REQUIRE(h.client->Do(shorter).ok());
  CHECK(h.transport->requests().at(0).path == kDeploy.Path() + "?pretty=false&timeout=1.5s");
  CHECK(h.transport->requests().at(0).timeout == std::chrono::milliseconds(1500));
  HttpRequest longer;  // discovery's 32 s gives way to --request-timeout, as in client-go
  longer.path = kDeploy.Path();
  longer.timeout = std::chrono::seconds(32);
  REQUIRE(h.client->Do(longer).ok());
  CHECK(h.transport->requests().at(1).path == kDeploy.Path() + "?timeout=7s");
  CHECK(h.transport->requests().at(1).timeout == std::chrono::seconds(7));
  h.transport->On("DELETE", kDeploy.Path(), FakeTransport::Json(200, "{}"));
  REQUIRE(h.client->Delete(kDeploy, DeleteOptions{}).ok());
  CHECK(h.transport->requests().at(2).path == kDeploy.Path() + "?timeout=7s");

  RestClientOptions none;  // --request-timeout=0 (the default): no parameter, as kubectl
  auto transport = std::make_shared<FakeTransport>();
  transport->On("GET", kDeploy.Path(), FakeTransport::Json(200, "{}"));
  RestClientImpl plain(transport, nullptr, std::make_shared<FakeClock>(), none);
  REQUIRE(plain.Get(kDeploy).ok());
  CHECK(transport->requests().at(0).path == kDeploy.Path());
  REQUIRE(plain.Do(longer).ok());  // discovery's own 32 s then, as kubectl's ?timeout=32s
  CHECK(transport->requests().at(1).path == kDeploy.Path() + "?timeout=32s");
}

// DoAll as a transport that sends together would: one call for the batch,
// counted, its requests answered by the routes.
class BatchingTransport final : public FakeTransport {
 public:
  std::vector<Result<HttpResponse>> DoAll(const std::vector<HttpRequest>& requests) override {
    ++batches;
    batched += requests.size();
    return Transport::DoAll(requests);
  }
  int batches = 0;
  size_t batched = 0;
};

struct PrefetchHarness {
  std::shared_ptr<BatchingTransport> transport = std::make_shared<BatchingTransport>();
  std::ostringstream err;
  std::shared_ptr<RestClientImpl> client;
  PrefetchHarness() {
    RestClientOptions options;
    options.server = "https://h:6443";
    options.user_agent = "kubectl-llm/v0 (linux/amd64)";
    options.verbosity = 6;
    options.log = &err;
    options.warnings = &err;
    client = std::make_shared<RestClientImpl>(transport, nullptr, std::make_shared<FakeClock>(), options);
  }
};

TEST_CASE("Prefetch sends its reads in one batch and each later call that makes the same request takes its answer") {
  PrefetchHarness h;
  const ResourceRef secrets{"", "v1", "secrets", "ns", "", ""};
  const ResourceRef reviews{"authentication.k8s.io", "v1", "selfsubjectreviews", "", "", ""};
  h.transport->On("GET", kDeploy.Path(), FakeTransport::Json(200, R"({"kind":"Deployment"})"));
  h.transport->On("GET", secrets.Path(), FakeTransport::Json(200, R"({"items":[{"metadata":{"name":"a"}}]})"));
  h.transport->On("POST", reviews.Path(), FakeTransport::Json(201, R"({"status":{"userInfo":{"username":"u"}}})"));
  ListOptions by_label;
  by_label.label_selector = "app=x";
  h.client->Prefetch({PlannedRead::Get(kDeploy), PlannedRead::List(secrets, by_label),
                      PlannedRead::Review(reviews, {{"kind", "SelfSubjectReview"}})});
  CHECK(h.transport->batches == 1);
  CHECK(h.transport->batched == 3);
  CHECK(h.transport->requests().size() == 3);
  // Each logged once, when it was sent.
  CHECK(h.err.str().find("GET https://h:6443/apis/apps/v1/namespaces/ns/deployments/web 200") != std::string::npos);

  auto got = h.client->Get(kDeploy);
  REQUIRE(got.ok());
  CHECK((*got)["kind"] == "Deployment");
  auto listed = h.client->List(secrets, by_label);
  REQUIRE(listed.ok());
  CHECK((*listed)["items"].size() == 1);
  auto who = h.client->Create(reviews, {{"kind", "SelfSubjectReview"}}, /*dry_run=*/false);
  REQUIRE(who.ok());
  CHECK(h.transport->requests().size() == 3);  // all three answered from the batch

  // Taken once: the same read again goes to the server.
  REQUIRE(h.client->Get(kDeploy).ok());
  CHECK(h.transport->requests().size() == 4);
}

TEST_CASE("a prefetched answer goes only to the same request: another query, Accept header or body asks anew") {
  PrefetchHarness h;
  const ResourceRef secrets{"", "v1", "secrets", "ns", "", ""};
  const ResourceRef reviews{"authorization.k8s.io", "v1", "selfsubjectrulesreviews", "", "", ""};
  h.transport->On("GET", secrets.Path(), FakeTransport::Json(200, R"({"items":[]})"));
  h.transport->On("POST", reviews.Path(), FakeTransport::Json(201, R"({"status":{}})"));
  h.client->Prefetch({PlannedRead::List(secrets, {}, /*metadata_only=*/true),
                      PlannedRead::Review(reviews, {{"spec", {{"namespace", "a"}}}})});
  REQUIRE(h.transport->requests().size() == 2);
  CHECK(HeaderValue(h.transport->requests().at(0), "Accept") == kMetadataListAccept);

  ListOptions other;
  other.label_selector = "app=y";
  REQUIRE(h.client->List(secrets, other).ok());                                      // another query
  REQUIRE(h.client->List(secrets, {}).ok());                                         // full objects, not metadata
  REQUIRE(h.client->Create(reviews, {{"spec", {{"namespace", "b"}}}}, false).ok());  // another body
  CHECK(h.transport->requests().size() == 5);
  // The metadata-only page itself is still there for ForEachListPage.
  int pages = 0;
  REQUIRE(
      ForEachListPage(
          *h.client, secrets, {}, [&](nlohmann::json&) -> Status { return ++pages, Ok(); }, ListItems::kMetadataOnly)
          .ok());
  CHECK(pages == 1);
  CHECK(h.transport->requests().size() == 5);
}

TEST_CASE("a prefetched read that failed is not kept: the call asks again, with its own retries and errors") {
  PrefetchHarness h;
  h.transport->On("GET", kDeploy.Path(), FakeTransport::Json(503, R"({"kind":"Status","code":503})"));
  h.transport->On("GET", kDeploy.Path(), FakeTransport::Json(200, R"({"kind":"Deployment"})"));
  const ResourceRef missing{"apps", "v1", "deployments", "ns", "gone", ""};
  h.transport->On("GET", missing.Path(), FakeTransport::Json(404, kNotFound));
  h.client->Prefetch({PlannedRead::Get(kDeploy), PlannedRead::Get(missing)});
  REQUIRE(h.transport->requests().size() == 2);

  auto got = h.client->Get(kDeploy);  // the 503 was dropped: asked again, answered 200
  REQUIRE(got.ok());
  CHECK(h.transport->requests().size() == 3);
  auto gone = h.client->Get(missing);  // a 404 is an answer: kept, and an Error as ever
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().kind() == ErrorKind::kNotFound);
  CHECK(gone.error().message() == "Error from server (NotFound): deployments.apps \"web\" not found");
  CHECK(h.transport->requests().size() == 3);
}

TEST_CASE(
    "a prefetched read that failed drops the answer an earlier prefetch kept: the call never takes an older one") {
  PrefetchHarness h;
  h.transport->On("GET", kDeploy.Path(), FakeTransport::Json(200, R"({"kind":"Deployment","v":1})"));
  h.transport->On("GET", kDeploy.Path(), FakeTransport::Json(503, R"({"kind":"Status","code":503})"));
  h.transport->On("GET", kDeploy.Path(), FakeTransport::Json(200, R"({"kind":"Deployment","v":3})"));
  h.client->Prefetch({PlannedRead::Get(kDeploy)});
  h.client->Prefetch({PlannedRead::Get(kDeploy)});
  REQUIRE(h.transport->requests().size() == 2);
  auto got = h.client->Get(kDeploy);
  REQUIRE(got.ok());
  CHECK((*got)["v"] == 3);
  CHECK(h.transport->requests().size() == 3);
}

TEST_CASE(
    "WriteTogetherPrefetching sends a JSON patch and reads in one batch: the reads are kept as Prefetch keeps them") {
  PrefetchHarness h;
  const ResourceRef index{"", "v1", "secrets", "ns", "index", ""};
  const ResourceRef parent{"", "v1", "secrets", "ns", "web", ""};
  h.transport->On("PATCH", index.Path(), FakeTransport::Json(200, R"({"metadata":{"name":"index"}})"));
  h.transport->On("GET", parent.Path(), FakeTransport::Json(200, R"({"metadata":{"name":"web"}})"));
  const nlohmann::json claim =
      nlohmann::json::array({{{"op", "test"}, {"path", "/metadata/name"}, {"value", "index"}}});
  std::vector<Result<nlohmann::json>> answers = h.client->WriteTogetherPrefetching(
      {PlannedWrite::JsonPatch(index, claim, "history")}, {PlannedRead::Get(parent)});
  CHECK(h.transport->batches == 1);
  CHECK(h.transport->batched == 2);
  REQUIRE(answers.size() == 1);
  REQUIRE(answers[0].ok());
  CHECK((*answers[0])["metadata"]["name"] == "index");
  CHECK(h.transport->requests().at(0).path == index.Path() + "?fieldManager=history");
  CHECK(HeaderValue(h.transport->requests().at(0), "Content-Type") == "application/json-patch+json");
  CHECK(h.transport->requests().at(0).body == claim.dump());
  auto read = h.client->Get(parent);  // answered from the batch
  REQUIRE(read.ok());
  CHECK((*read)["metadata"]["name"] == "web");
  CHECK(h.transport->requests().size() == 2);
}

TEST_CASE("ApplyObjects sends its applies in one batch and handles each answer as ApplyObject would, in order") {
  PrefetchHarness h;
  const ResourceRef services{"", "v1", "services", "ns", "", ""};
  const ResourceRef svc{"", "v1", "services", "ns", "web", ""};
  const ResourceRef held{"apps", "v1", "deployments", "ns", "held", ""};
  HttpResponse busy = FakeTransport::Json(429, R"({"kind":"Status","reason":"TooManyRequests","code":429})");
  busy.headers.emplace_back("Retry-After", "1");
  h.transport->On("PATCH", kDeploy.Path(), busy);  // retried by its own call, after the batch
  h.transport->On("PATCH", kDeploy.Path(), FakeTransport::Json(200, R"({"metadata":{"name":"web"}})"));
  h.transport->On("PATCH", svc.Path(), FakeTransport::Json(201, R"({"metadata":{"name":"web"}})"));
  h.transport->On("PATCH", held.Path(), FakeTransport::Json(409, kReplicasConflict));
  ApplyOptions forced;
  forced.force = true;
  std::vector<Result<AppliedObject>> answers =
      h.client->ApplyObjects({{kDeploy, {{"kind", "Deployment"}}, {}},
                              {services, {{"kind", "Service"}, {"metadata", {{"name", "web"}}}}, forced},
                              {held, {{"kind", "Deployment"}}, {}}});
  CHECK(h.transport->batches == 1);
  CHECK(h.transport->batched == 3);
  REQUIRE(answers.size() == 3);
  REQUIRE(answers[0].ok());  // 429 in the batch, then 200 asked alone
  CHECK_FALSE(answers[0]->created);
  REQUIRE(answers[1].ok());  // the name comes from the object, force from its own options
  CHECK(answers[1]->created);
  CHECK(h.transport->requests().at(1).path ==
        svc.Path() + "?fieldManager=kubectl-llm&force=true&fieldValidation=Strict");
  REQUIRE_FALSE(answers[2].ok());  // a conflict is an answer: kConflict with the hint, not asked again
  CHECK(answers[2].error().kind() == ErrorKind::kConflict);
  CHECK(answers[2].error().message().find("--force-conflicts") != std::string::npos);
  CHECK(h.transport->requests().size() == 4);
  CHECK(h.transport->requests().at(3).path.starts_with(kDeploy.Path()));
  // Each logged: the three of the batch and the retry.
  const std::string log = h.err.str();
  CHECK(std::count(log.begin(), log.end(), '\n') == 4);
}

TEST_CASE("WriteTogether sends merge patches, applies and deletes in one batch, each answered as its own call") {
  PrefetchHarness h;
  const ResourceRef patched{"", "v1", "secrets", "ns", "rev", ""};
  const ResourceRef index{"", "v1", "secrets", "ns", "index", ""};
  const ResourceRef gone{"", "v1", "secrets", "ns", "old", ""};
  h.transport->On("PATCH", patched.Path(), FakeTransport::Json(200, R"({"metadata":{"name":"rev"}})"));
  h.transport->On("PATCH", index.Path(), FakeTransport::Json(201, R"({"metadata":{"name":"index"}})"));
  h.transport->On("DELETE", gone.Path(), FakeTransport::Json(404, kNotFound));
  ApplyOptions forced;
  forced.field_manager = "history";
  forced.force = true;
  std::vector<Result<nlohmann::json>> answers = h.client->WriteTogether(
      {PlannedWrite::MergePatch(patched, {{"metadata", {{"labels", {{"a", "b"}}}}}}),
       PlannedWrite::Apply(index, {{"kind", "Secret"}}, forced), PlannedWrite::Delete(gone, DeleteOptions{})});
  CHECK(h.transport->batches == 1);
  CHECK(h.transport->batched == 3);
  REQUIRE(answers.size() == 3);
  REQUIRE(answers[0].ok());
  CHECK((*answers[0])["metadata"]["name"] == "rev");
  CHECK(h.transport->requests().at(0).path == patched.Path() + "?fieldManager=kubectl-llm");
  CHECK(HeaderValue(h.transport->requests().at(0), "Content-Type") == "application/merge-patch+json");
  REQUIRE(answers[1].ok());
  CHECK(h.transport->requests().at(1).path == index.Path() + "?fieldManager=history&force=true&fieldValidation=Strict");
  CHECK(HeaderValue(h.transport->requests().at(1), "Content-Type") == "application/apply-patch+yaml");
  REQUIRE_FALSE(answers[2].ok());  // a 404 is the delete's answer, as Delete returns it
  CHECK(answers[2].error().kind() == ErrorKind::kNotFound);
  CHECK(h.transport->requests().size() == 3);

  // One write is sent as its own call.
  REQUIRE(h.client->WriteTogether({PlannedWrite::MergePatch(patched, nlohmann::json::object())}).at(0).ok());
  CHECK(h.transport->batches == 1);
}

TEST_CASE("ApplyObjects of one object, or of one without a name, sends as ApplyObject does") {
  PrefetchHarness h;
  h.transport->On("PATCH", kDeploy.Path(), FakeTransport::Json(200, "{}"));
  REQUIRE(h.client->ApplyObjects({{kDeploy, {{"kind", "Deployment"}}, {}}}).at(0).ok());
  CHECK(h.transport->batches == 0);
  ResourceRef unnamed = kDeploy;
  unnamed.name.clear();
  auto answers =
      h.client->ApplyObjects({{kDeploy, {{"kind", "Deployment"}}, {}}, {unnamed, {{"kind", "Deployment"}}, {}}});
  CHECK(h.transport->batches == 0);
  REQUIRE(answers.size() == 2);
  CHECK(answers[0].ok());
  REQUIRE_FALSE(answers[1].ok());
  CHECK(answers[1].error().kind() == ErrorKind::kInternal);
}

}  // namespace
}  // namespace llm::kube
