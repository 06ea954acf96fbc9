#include "kube/request_logger.h"

#include <sstream>

#include <doctest/doctest.h>

namespace llm::kube {
namespace {

HttpRequest SecretApply() {
  return HttpRequest{"PATCH",
                     "/api/v1/namespaces/ns/secrets/hf?fieldManager=kubectl-llm",
                     {{"Authorization", "Bearer sekret-token"}, {"Content-Type", "application/apply-patch+yaml"}},
                     R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"hf"},"data":{"token":"aGZfc2VrcmV0"},)"
                     R"("stringData":{"raw":"hf_sekret"}})",
                     {},
                     {}};
}

TEST_CASE("credential headers are masked, others kept") {
  CHECK(RedactHeaderValue("Authorization", "Bearer abc.def") == "Bearer <masked>");
  CHECK(RedactHeaderValue("authorization", "Basic YWRtaW46eA==") == "Basic <masked>");
  CHECK(RedactHeaderValue("Proxy-Authorization", "opaque") == "<masked>");
  CHECK(RedactHeaderValue("Accept", "application/json") == "application/json");
}

TEST_CASE("bodies: Secret data, tokens, passwords and keys are redacted, the rest kept") {
  std::string secret = RedactBody(SecretApply().body);
  CHECK(secret.find("aGZfc2VrcmV0") == std::string::npos);
  CHECK(secret.find("hf_sekret") == std::string::npos);
  CHECK(secret.find("\"token\":\"<redacted>\"") != std::string::npos);
  CHECK(secret.find("\"name\":\"hf\"") != std::string::npos);

  std::string list =
      RedactBody(R"({"kind":"SecretList","items":[{"kind":"Secret","data":{"k":"djE="},"metadata":{"annotations":)"
                 R"({"kubectl.kubernetes.io/last-applied-configuration":"{\"data\":{\"k\":\"djE=\"}}"}}}]})");
  CHECK(list.find("djE=") == std::string::npos);

  std::string token_review =
      RedactBody(R"({"kind":"TokenRequest","status":{"token":"eyJhbGci","expirationTimestamp":"x"}})");
  CHECK(token_review.find("eyJhbGci") == std::string::npos);
  CHECK(token_review.find("expirationTimestamp") != std::string::npos);

  std::string config = RedactBody(R"({"kind":"ConfigMap","data":{"password":"p4ss","other":"visible"}})");
  CHECK(config.find("p4ss") == std::string::npos);
  CHECK(config.find("visible") != std::string::npos);

  CHECK(RedactBody("plain log line") == "plain log line");
}

TEST_CASE("bodies: env values whose name says token, secret, password or credential are redacted") {
  std::string body =
      RedactBody(R"({"kind":"Deployment","spec":{"template":{"spec":{"containers":[{"name":"c","env":[)"
                 R"({"name":"API_TOKEN","value":"t0k3n"},{"name":"db_password","value":"pw"},)"
                 R"({"name":"AWS_SECRET_ACCESS_KEY","value":"aws"},{"name":"LOG_LEVEL","value":"debug"},)"
                 R"({"name":"HF_TOKEN","valueFrom":{"secretKeyRef":{"name":"hf","key":"token"}}}]}]}}}})");
  for (const char* secret : {"t0k3n", "\"pw\"", "aws"}) CHECK_MESSAGE(body.find(secret) == std::string::npos, secret);
  CHECK(body.find(R"({"name":"LOG_LEVEL","value":"debug"})") != std::string::npos);
  CHECK(body.find(R"("secretKeyRef":{"key":"token","name":"hf"})") != std::string::npos);
}

TEST_CASE("-v=6 logs method, URL, status, latency and the body's size, no headers or bodies") {
  std::ostringstream out;
  RequestLogger logger(&out, 6, "https://h:6443");
  HttpRequest request = SecretApply();
  logger.LogRequest(request);
  logger.LogResponse(request, HttpResponse{201, {}, R"({"kind":"Secret","data":{"token":"aGZfc2VrcmV0"}})"},
                     std::chrono::milliseconds(12));
  CHECK(out.str() ==
        "PATCH https://h:6443/api/v1/namespaces/ns/secrets/hf?fieldManager=kubectl-llm 201 Created in 12 "
        "milliseconds, 49 bytes\n");
}

TEST_CASE("-v=8 adds headers and bodies, every secret redacted") {
  std::ostringstream out;
  RequestLogger logger(&out, 8, "https://h:6443");
  HttpRequest request = SecretApply();
  logger.LogRequest(request);
  logger.LogResponse(request,
                     HttpResponse{200,
                                  {{"Set-Cookie", "session=1"}, {"Audit-Id", "a1"}},
                                  R"({"kind":"Secret","data":{"token":"aGZfc2VrcmV0"}})"},
                     std::chrono::milliseconds(3));
  std::string log = out.str();
  CHECK(log.find("Request Headers:\n    Authorization: Bearer <masked>\n") != std::string::npos);
  CHECK(log.find("Request Body: ") != std::string::npos);
  CHECK(log.find("Response Body: ") != std::string::npos);
  CHECK(log.find("Audit-Id: a1") != std::string::npos);
  CHECK(log.find("sekret") == std::string::npos);
  CHECK(log.find("aGZfc2VrcmV0") == std::string::npos);
  CHECK(log.find("session=1") == std::string::npos);
}

TEST_CASE("below -v=6 nothing is logged - failures are logged with their error") {
  std::ostringstream quiet;
  RequestLogger off(&quiet, 5, "https://h");
  off.LogResponse(HttpRequest{}, HttpResponse{200, {}, ""}, std::chrono::milliseconds(1));
  CHECK(quiet.str().empty());

  std::ostringstream out;
  RequestLogger logger(&out, 6, "https://h");
  logger.LogResponse(HttpRequest{"GET", "/version", {}, "", {}, {}}, ConnectionRefusedError("h:443"),
                     std::chrono::milliseconds(0));
  CHECK(out.str() ==
        "GET https://h/version in 0 milliseconds: The connection to the server h:443 was refused - did you specify "
        "the right host or port?\n");
}

}  // namespace
}  // namespace llm::kube
