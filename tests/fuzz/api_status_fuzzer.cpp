// The Status decoder: any body an API server (or a proxy in front of it) may
// answer an error with. The first two bytes are the HTTP code's offset from
// 400; the rest is the body. Every body gives an error with a message, and the
// kubectl message of a parsed Status never is empty.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.h"
#include "kube/api_status.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace llm::kube;
  if (size < 2) return 0;
  llm::kube::HttpResponse response;
  response.status = 400 + ((data[0] << 8 | data[1]) % 200);
  response.body = std::string(llm::fuzz::Text(data + 2, size - 2));
  response.headers.emplace_back("Content-Type", "application/json");
  response.headers.emplace_back("Warning", response.body.substr(0, 200));

  if (auto parsed = ParseApiStatus(response.body)) {
    FUZZ_CHECK(!KubectlMessage(*parsed).empty(), "a Status with an empty kubectl message");
    (void)IsApplyConflict(*parsed);
    if (IsApplyConflict(*parsed)) FUZZ_CHECK(!ApplyConflictError(*parsed).message().empty(), "empty conflict error");
  }
  ResourceRef ref;
  ref.group = "apps";
  ref.version = "v1";
  ref.resource = "deployments";
  ref.ns = "default";
  ref.name = "x";
  ApiStatus status = StatusForResponse(response, "GET", &ref);
  llm::Error error = ErrorFromStatus(status);
  FUZZ_CHECK(!error.message().empty(), "an error response became an error without a message");
  (void)IsResourceExpired(error);
  (void)KindForStatus(status);
  (void)ParseWarningHeaders(response);
  return 0;
}
