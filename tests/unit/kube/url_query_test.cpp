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

}  // namespace
}  // namespace llm::kube
