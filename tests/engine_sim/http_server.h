// A small HTTP/1.1 server for the engine simulator: one thread per
// connection, keep-alive (the API server's proxy reuses its connections),
// request bodies by Content-Length or chunked, and answers either whole or
// streamed with chunked transfer encoding (SSE). The handler is told the
// address the client connected to, which is how the simulator knows which pod
// it is answering for.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace llm::engine_sim {

struct HttpRequest {
  std::string method;
  std::string path;                            ///< without the query
  std::string query;                           ///< after '?', "" when none
  std::map<std::string, std::string> headers;  ///< names lowercased
  std::string body;
  std::string local_ip;  ///< the address the client dialled: the pod's IP

  std::string Header(const std::string& lower_name) const;
};

/// Writes a streamed answer piece by piece; false once the client went away.
class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  virtual bool Write(const std::string& piece) = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  /// Set for a streamed answer: called after the headers went out, writes the body.
  std::function<void(StreamWriter&)> stream;
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

/// Listens on 0.0.0.0:`port` and serves until the process ends. Returns an
/// error text when the port cannot be bound.
std::string Serve(int port, Handler handler);

}  // namespace llm::engine_sim
