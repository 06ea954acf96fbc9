#include "kube/api_proxy.h"

#include <fmt/format.h>

#include "kube/resource_ref.h"

namespace llm::kube {
namespace {

HttpRequest ProxyRequest(const ProxyTarget& target, std::string method, std::string_view path,
                         std::chrono::milliseconds timeout) {
  HttpRequest request;
  request.method = std::move(method);
  request.path = target.Path(path);
  request.timeout = timeout;
  return request;
}

}  // namespace

bool IsProxyPath(std::string_view path) {
  path = path.substr(0, path.find('?'));
  constexpr std::string_view kPrefix = "/api/v1/namespaces/";
  if (!path.starts_with(kPrefix)) return false;
  path.remove_prefix(kPrefix.size());
  // NS / {pods|services} / NAME / proxy [/ ...]
  std::string_view parts[4];
  for (std::string_view& part : parts) {
    const size_t slash = path.find('/');
    part = path.substr(0, slash);
    if (part.empty()) return false;
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (slash == std::string_view::npos && &part != &parts[3]) return false;
  }
  return (parts[1] == "pods" || parts[1] == "services") && parts[3] == "proxy";
}

std::string ProxyTarget::Describe() const { return fmt::format("{}/{}", kind == Kind::kPod ? "pod" : "service", name); }

std::string ProxyTarget::Path(std::string_view path) const {
  const std::string name_port = fmt::format("{}:{}", name, port);
  ResourceRef ref = kind == Kind::kPod ? core::Pods(ns, name_port) : core::Services(ns, name_port);
  ref.subresource = "proxy";
  return ref.Path() + std::string(path);
}

Result<HttpResponse> ProxyGet(RestClient& client, const ProxyTarget& target, std::string_view path,
                              std::chrono::milliseconds timeout) {
  HttpRequest request = ProxyRequest(target, "GET", path, timeout);
  // Whatever the backend serves (/metrics is text, /health may be empty).
  request.headers.emplace_back("Accept", "*/*");
  return client.Do(std::move(request));
}

Result<HttpResponse> ProxyPost(RestClient& client, const ProxyTarget& target, std::string_view path,
                               const std::string& json_body, std::chrono::milliseconds timeout) {
  HttpRequest request = ProxyRequest(target, "POST", path, timeout);
  request.body = json_body;
  return client.Do(std::move(request));
}

Result<HttpResponse> ProxyPostStream(RestClient& client, const ProxyTarget& target, std::string_view path,
                                     const std::string& json_body, std::chrono::milliseconds timeout,
                                     const ChunkSink& sink) {
  HttpRequest request = ProxyRequest(target, "POST", path, timeout);
  request.body = json_body;
  request.headers.emplace_back("Accept", "text/event-stream");
  return client.Stream(std::move(request), sink);
}

}  // namespace llm::kube
