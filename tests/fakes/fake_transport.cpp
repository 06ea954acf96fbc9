#include "fakes/fake_transport.h"

namespace llm::testing {
namespace {
std::string Key(const std::string& method, const std::string& path) {
  return method + " " + path.substr(0, path.find('?'));
}
}  // namespace

void FakeTransport::On(const std::string& method, const std::string& path, kube::HttpResponse response) {
  routes_[Key(method, path)].responses.push_back(std::move(response));
}

void FakeTransport::OnHandler(const std::string& method, const std::string& path, Handler handler) {
  routes_[Key(method, path)].handler = std::move(handler);
}

void FakeTransport::OnStream(const std::string& method, const std::string& path, std::vector<std::string> chunks,
                             int status) {
  Route& route = routes_[Key(method, path)];
  route.chunks = std::move(chunks);
  route.responses.push_back(kube::HttpResponse{status, {{"Content-Type", "application/json"}}, ""});
}

FakeTransport::Route* FakeTransport::Find(const kube::HttpRequest& request) {
  auto it = routes_.find(Key(request.method, request.path));
  return it == routes_.end() ? nullptr : &it->second;
}

Result<kube::HttpResponse> FakeTransport::Do(const kube::HttpRequest& request) {
  requests_.push_back(request);
  Route* route = Find(request);
  if (route == nullptr) {
    return Json(404, R"({"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound",)"
                     R"("message":"the server could not find the requested resource","code":404})");
  }
  if (route->handler) return route->handler(request);
  kube::HttpResponse response = route->responses.front();
  if (route->responses.size() > 1) route->responses.pop_front();
  return response;
}

Result<kube::HttpResponse> FakeTransport::Stream(const kube::HttpRequest& request, const kube::ChunkSink& sink) {
  Route* route = Find(request);
  if (route == nullptr || route->chunks.empty()) return Do(request);
  requests_.push_back(request);
  for (const std::string& chunk : route->chunks) {
    if (!sink(chunk)) break;
  }
  return route->responses.front();
}

kube::HttpResponse FakeTransport::Json(int status, const std::string& body) {
  return kube::HttpResponse{status, {{"Content-Type", "application/json"}}, body};
}

}  // namespace llm::testing
