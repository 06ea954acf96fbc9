#include "integration/stalled_request.h"

#include <curl/curl.h>

#include <memory>

namespace llm::testing {
namespace {

// Declared Content-Length; only its first byte is ever sent.
constexpr curl_off_t kDeclaredBodySize = 4096;

}  // namespace

StalledRequest::StalledRequest(std::string url, std::string ca_file, std::string bearer_token)
    : url_(std::move(url)), ca_file_(std::move(ca_file)), authorization_("Authorization: Bearer " + bearer_token) {
  thread_ = std::thread([this] { Run(); });
}

StalledRequest::~StalledRequest() { Release(); }

void StalledRequest::Release() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
  }
  released_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

size_t StalledRequest::ReadBody(char* buffer, size_t size, size_t count, void* self) {
  auto* request = static_cast<StalledRequest*>(self);
  std::unique_lock<std::mutex> lock(request->mu_);
  if (!request->sent_opening_ && size * count >= 1) {
    // One byte, so the server's handler is inside its body read, not before it.
    request->sent_opening_ = true;
    buffer[0] = '{';
    return 1;
  }
  // Blocking here stops libcurl from sending anything more on this request.
  request->released_cv_.wait(lock, [request] { return request->released_; });
  return CURL_READFUNC_ABORT;
}

void StalledRequest::Run() {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> handle(curl_easy_init(), &curl_easy_cleanup);
  if (!handle) return;
  CURL* h = handle.get();
  curl_slist* raw_headers = nullptr;
  raw_headers = curl_slist_append(raw_headers, authorization_.c_str());
  raw_headers = curl_slist_append(raw_headers, "Content-Type: application/json");
  raw_headers = curl_slist_append(raw_headers, "Expect:");  // no 100-continue round trip
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(raw_headers, &curl_slist_free_all);
  curl_easy_setopt(h, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CAINFO, ca_file_.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, kDeclaredBodySize);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, &StalledRequest::ReadBody);
  curl_easy_setopt(h, CURLOPT_READDATA, this);
  curl_easy_setopt(
      h, CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t count, void*) { return size * count; });
  // Ends with CURLE_ABORTED_BY_CALLBACK after Release(); the outcome is not
  // the test's evidence (the server's APF metrics are), so it is not kept.
  curl_easy_perform(h);
}

}  // namespace llm::testing
