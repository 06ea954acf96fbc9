#include "kube/api_status.h"

#include <doctest/doctest.h>

namespace llm::kube {
namespace {

HttpResponse Json(int status, const std::string& body) {
  return HttpResponse{status, {{"Content-Type", "application/json"}}, body};
}

std::string Message(const HttpResponse& response, const std::string& method = "GET", const ResourceRef* ref = nullptr) {
  return KubectlMessage(StatusForResponse(response, method, ref));
}

TEST_CASE("NotFound, Forbidden, AlreadyExists: Error from server (Reason): message") {
  auto not_found = Json(404, R"({"kind":"Status","apiVersion":"v1","status":"Failure",)"
                             R"("message":"deployments.apps \"x\" not found","reason":"NotFound",)"
                             R"("details":{"name":"x","group":"apps","kind":"deployments"},"code":404})");
  ApiStatus status = StatusForResponse(not_found, "GET", nullptr);
  CHECK(KubectlMessage(status) == "Error from server (NotFound): deployments.apps \"x\" not found");
  CHECK(KindForStatus(status) == ErrorKind::kNotFound);
  CHECK(status.name == "x");
  CHECK(status.group == "apps");

  auto forbidden = Json(403, R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"nodes is )"
                             R"(forbidden: User \"system:serviceaccount:team-a:dev\" cannot list resource \"nodes\" )"
                             R"(in API group \"\" at the cluster scope","reason":"Forbidden","code":403})");
  Error e = ErrorFromStatus(StatusForResponse(forbidden, "GET", nullptr));
  CHECK(e.kind() == ErrorKind::kForbidden);
  CHECK(e.message() ==
        "Error from server (Forbidden): nodes is forbidden: User \"system:serviceaccount:team-a:dev\" cannot list "
        "resource \"nodes\" in API group \"\" at the cluster scope");

  auto exists = Json(409, R"({"kind":"Status","message":"pods \"p\" already exists","reason":"AlreadyExists",)"
                          R"("code":409})");
  CHECK(ErrorFromStatus(StatusForResponse(exists, "POST", nullptr)).kind() == ErrorKind::kAlreadyExists);
}

TEST_CASE("Unauthorized: You must be logged in to the server (message)") {
  auto r = Json(401, R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized",)"
                     R"("reason":"Unauthorized","code":401})");
  Error e = ErrorFromStatus(StatusForResponse(r, "GET", nullptr));
  CHECK(e.message() == "You must be logged in to the server (Unauthorized)");
  CHECK(e.kind() == ErrorKind::kUnauthorized);
}

TEST_CASE("Invalid: the object and each field cause, bullets when several") {
  auto one = Json(422, R"({"kind":"Status","status":"Failure","message":"Deployment.apps \"x\" is invalid: )"
                       R"(spec.replicas: Invalid value: -1: must be greater than or equal to 0","reason":"Invalid",)"
                       R"("details":{"name":"x","group":"apps","kind":"Deployment","causes":[{"reason":)"
                       R"("FieldValueInvalid","message":"Invalid value: -1: must be greater than or equal to 0",)"
                       R"("field":"spec.replicas"}]},"code":422})");
  Error e = ErrorFromStatus(StatusForResponse(one, "PATCH", nullptr));
  CHECK(e.kind() == ErrorKind::kInvalid);
  CHECK(e.message() ==
        "The Deployment \"x\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0");

  auto two = Json(422, R"({"kind":"Status","reason":"Invalid","details":{"name":"x","kind":"Deployment",)"
                       R"("causes":[{"field":"spec.replicas","message":"bad"},{"field":"spec.selector",)"
                       R"("message":"Required value"},{"field":"spec.replicas","message":"bad"}]},"code":422})");
  CHECK(Message(two) == "The Deployment \"x\" is invalid: \n* spec.replicas: bad\n* spec.selector: Required value");

  auto bare = Json(422, R"({"kind":"Status","reason":"Invalid","message":"something","code":422})");
  CHECK(Message(bare) == "The request is invalid: something");
}

TEST_CASE("a Status without reason: Error from server: message") {
  CHECK(Message(Json(500, R"({"kind":"Status","message":"etcd is sad","code":500})")) ==
        "Error from server: etcd is sad");
}

TEST_CASE("bodies that are not a Status still give client-go's messages") {
  ResourceRef deploy{"apps", "v1", "deployments", "ns", "x", ""};
  CHECK(Message(HttpResponse{404, {{"Content-Type", "text/html"}}, "<html>nope</html>"}, "GET", &deploy) ==
        "Error from server (NotFound): the server could not find the requested resource (get deployments.apps x)");
  CHECK(Message(HttpResponse{502, {{"Content-Type", "text/plain"}}, "  upstream connect error \n"}) ==
        "Error from server (InternalError): an error on the server (\"upstream connect error\") has prevented the "
        "request from succeeding");
  CHECK(Message(HttpResponse{503, {{"Content-Type", "text/html"}}, "<html/>"}) ==
        "Error from server (InternalError): an error on the server (\"unknown\") has prevented the request from "
        "succeeding");
  CHECK(Message(HttpResponse{401, {}, ""}) ==
        "You must be logged in to the server (the server has asked for the client to provide credentials)");
  CHECK(Message(HttpResponse{409, {}, ""}, "POST") ==
        "Error from server (AlreadyExists): the server reported a conflict");
  CHECK(Message(HttpResponse{418, {}, ""}) ==
        "Error from server: the server responded with the status code 418 but did not return more information");
  ResourceRef pods{"", "v1", "pods", "", "", ""};
  CHECK(Message(HttpResponse{405, {}, ""}, "DELETE", &pods) ==
        "Error from server (MethodNotAllowed): the server does not allow this method on the requested resource "
        "(delete pods)");
}

TEST_CASE("an SSA conflict lists the fields and adds kubectl's --force-conflicts hint") {
  auto r = Json(409, R"({"kind":"Status","status":"Failure","message":"Apply failed with 1 conflict: conflict )"
                     R"(with \"other\" using apps/v1: .spec.replicas","reason":"Conflict","details":{"causes":)"
                     R"([{"reason":"FieldManagerConflict","message":"conflict with \"other\" using apps/v1",)"
                     R"("field":".spec.replicas"}]},"code":409})");
  ApiStatus status = StatusForResponse(r, "PATCH", nullptr);
  REQUIRE(IsApplyConflict(status));
  Error e = ApplyConflictError(status);
  CHECK(e.kind() == ErrorKind::kConflict);
  CHECK(
      e.message().starts_with("Apply failed with 1 conflict: conflict with \"other\" using apps/v1: .spec.replicas\n"
                              "Please review the fields above--they currently have other managers."));
  CHECK(e.message().find("`--force-conflicts`") != std::string::npos);
  CHECK_FALSE(IsApplyConflict(
      StatusForResponse(Json(409, R"({"kind":"Status","reason":"Conflict","code":409})"), "PUT", nullptr)));
}

TEST_CASE("410 Expired/Gone is recognisable for relisting") {
  auto expired = Json(410, R"({"kind":"Status","message":"The provided continue parameter is too old",)"
                           R"("reason":"Expired","code":410})");
  CHECK(IsResourceExpired(ErrorFromStatus(StatusForResponse(expired, "GET", nullptr))));
  CHECK(IsResourceExpired(ErrorFromStatus(StatusForResponse(HttpResponse{410, {}, ""}, "GET", nullptr))) == false);
  CHECK_FALSE(IsResourceExpired(Error(ErrorKind::kNotFound, "Error from server (NotFound): x")));
}

TEST_CASE("Warning headers: 299 texts, unquoted and unescaped - others ignored") {
  HttpResponse r{200,
                 {{"Warning", R"(299 - "spec.template.spec.containers[0].image: \"latest\" tag is discouraged")"},
                  {"warning", R"(299 - "second")"},
                  {"Warning", R"(199 - "misc")"},
                  {"Warning", R"(299 - unquoted)"},
                  {"Warning", R"(299 - "a, b" "Wed, 21 Oct 2026 07:28:00 GMT", 299 - "c")"}},
                 ""};
  CHECK(ParseWarningHeaders(r) ==
        std::vector<std::string>{"spec.template.spec.containers[0].image: \"latest\" tag is discouraged", "second",
                                 "a, b", "c"});
}

}  // namespace
}  // namespace llm::kube
