// Requests to a pod or Service through the API server's proxy subresources,
// /api/v1/namespaces/NS/{pods,services}/NAME:PORT/proxy/PATH: the route
// `kubectl get --raw` takes, with no port-forward and nothing to run in the
// cluster. The answer of the backend comes back whatever its status (the
// caller judges it); the API server's own refusals (RBAC, no endpoints, a
// backend it cannot dial) are Errors in kubectl's words. RBAC: get on
// pods/proxy or services/proxy, create for a POST.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "kube/rest_client.h"

namespace llm::kube {

struct ProxyTarget {
  enum class Kind { kPod, kService };
  Kind kind = Kind::kPod;
  std::string ns;
  std::string name;
  int port = 0;

  /// "pod/chat-7d9f-x2kq4", "service/chat".
  std::string Describe() const;
  /// The API path that proxies `path` (which starts with '/') to the target.
  std::string Path(std::string_view path) const;
};

/// Whether `path` (a request's API path, query string allowed) is one of the
/// proxy subresources, /api/v1/namespaces/NS/{pods,services}/NAME/proxy[/...]:
/// the answer is then the backend's, whatever its status, neither retried
/// nor a reason to refresh credentials; only the API server's own answers (a
/// Status body) still become Errors (RestClientImpl::Send).
bool IsProxyPath(std::string_view path);

/// GET `path` on the target.
Result<HttpResponse> ProxyGet(RestClient& client, const ProxyTarget& target, std::string_view path,
                              std::chrono::milliseconds timeout);

/// POST a JSON body to `path` on the target.
Result<HttpResponse> ProxyPost(RestClient& client, const ProxyTarget& target, std::string_view path,
                               const std::string& json_body, std::chrono::milliseconds timeout);

/// POST a JSON body and read the answer as it streams (text/event-stream): a
/// 2xx body goes to `sink` piece by piece; any other answer comes back whole
/// in the response. The API server flushes proxied streams on an interval, so
/// the arrival times the sink sees are upper bounds of the backend's.
Result<HttpResponse> ProxyPostStream(RestClient& client, const ProxyTarget& target, std::string_view path,
                                     const std::string& json_body, std::chrono::milliseconds timeout,
                                     const ChunkSink& sink);

}  // namespace llm::kube
