// FakeTransport: answers requests from a route table and records what was sent
// (kubectl's fake.RESTClient). For unit tests only; integration tests use the
// real control plane.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "kube/transport.h"

namespace llm::testing {

class FakeTransport : public kube::Transport {
 public:
  using Handler = std::function<Result<kube::HttpResponse>(const kube::HttpRequest&)>;

  /// Routes match on method and the path without its query ("GET /api/v1/pods").
  /// Several responses queued on one route are served in order; the last repeats.
  void On(const std::string& method, const std::string& path, kube::HttpResponse response);
  void OnHandler(const std::string& method, const std::string& path, Handler handler);
  /// Body pieces a Stream() on this route delivers, one sink call each.
  void OnStream(const std::string& method, const std::string& path, std::vector<std::string> chunks, int status = 200);

  Result<kube::HttpResponse> Do(const kube::HttpRequest& request) override;
  Result<kube::HttpResponse> Stream(const kube::HttpRequest& request, const kube::ChunkSink& sink) override;

  const std::vector<kube::HttpRequest>& requests() const { return requests_; }

  static kube::HttpResponse Json(int status, const std::string& body);

 private:
  struct Route {
    std::deque<kube::HttpResponse> responses;
    Handler handler;
    std::vector<std::string> chunks;
  };
  Route* Find(const kube::HttpRequest& request);

  std::map<std::string, Route> routes_;
  std::vector<kube::HttpRequest> requests_;
};

}  // namespace llm::testing
