#include "kube/url_query.h"

#include <doctest/doctest.h>

namespace llm::kube {
namespace {

TEST_CASE("query values are percent-encoded, unreserved characters kept") {
  CHECK(PercentEncode("a-b_c.d~e") == "a-b_c.d~e");
  CHECK(PercentEncode("app=x,tier!=y") == "app%3Dx%2Ctier%21%3Dy");
  CHECK(PercentEncode("a b/c+d") == "a%20b%2Fc%2Bd");
  CHECK(EncodeQuery({}) == "");
  CHECK(EncodeQuery({{"limit", "1"}, {"continue", "e30="}}) == "?limit=1&continue=e30%3D");
}

TEST_CASE("a parameter is appended to a path with or without a query") {
  CHECK(AppendQuery("/api/v1/pods", "timeout", "5s") == "/api/v1/pods?timeout=5s");
  CHECK(AppendQuery("/api/v1/pods?limit=500", "timeout", "1m30.5s") == "/api/v1/pods?limit=500&timeout=1m30.5s");
  CHECK(AppendQuery("/x?a=1", "k", "a b") == "/x?a=1&k=a%20b");
}

}  // namespace
}  // namespace llm::kube
