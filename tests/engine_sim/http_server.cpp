#include "engine_sim/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cstring>
#include <thread>

#include <fmt/format.h>

namespace llm::engine_sim {
namespace {

constexpr size_t kMaxHead = 64 * 1024;
constexpr size_t kMaxBody = 16 * 1024 * 1024;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string_view Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 424:
      return "Failed Dependency";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

/// Buffered reads from one connection.
class Connection {
 public:
  explicit Connection(int fd) : fd_(fd) {}

  bool SendAll(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  /// Reads until `buffer_` holds `delimiter`; returns the text before it and consumes both.
  bool ReadUntil(std::string_view delimiter, size_t limit, std::string& out) {
    while (true) {
      const size_t at = buffer_.find(delimiter);
      if (at != std::string::npos) {
        out = buffer_.substr(0, at);
        buffer_.erase(0, at + delimiter.size());
        return true;
      }
      if (buffer_.size() > limit || !Fill()) return false;
    }
  }

  bool ReadExactly(size_t n, std::string& out) {
    while (buffer_.size() < n) {
      if (!Fill()) return false;
    }
    out = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return true;
  }

 private:
  bool Fill() {
    char chunk[16 * 1024];
    const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_;
  std::string buffer_;
};

class ChunkedWriter final : public StreamWriter {
 public:
  explicit ChunkedWriter(Connection& c) : c_(c) {}
  bool Write(const std::string& piece) override {
    if (piece.empty()) return true;
    return c_.SendAll(fmt::format("{:x}\r\n{}\r\n", piece.size(), piece));
  }

 private:
  Connection& c_;
};

bool ReadRequest(Connection& c, HttpRequest& request) {
  std::string head;
  if (!c.ReadUntil("\r\n\r\n", kMaxHead, head)) return false;
  const size_t line_end = head.find("\r\n");
  const std::string line = head.substr(0, line_end);
  const size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 == std::string::npos || sp2 == sp1) return false;
  request.method = line.substr(0, sp1);
  const std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const size_t q = target.find('?');
  request.path = target.substr(0, q);
  request.query = q == std::string::npos ? "" : target.substr(q + 1);
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    const std::string header = head.substr(pos, end - pos);
    const size_t colon = header.find(':');
    if (colon != std::string::npos) {
      std::string value = header.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      request.headers[Lower(header.substr(0, colon))] = value;
    }
    pos = end + 2;
  }
  if (Lower(request.Header("transfer-encoding")) == "chunked") {
    while (true) {
      std::string size_line;
      if (!c.ReadUntil("\r\n", 64, size_line)) return false;
      const size_t size = std::stoul(size_line.substr(0, size_line.find(';')), nullptr, 16);
      std::string piece;
      if (size > 0 && !c.ReadExactly(size, piece)) return false;
      request.body += piece;
      std::string crlf;
      if (!c.ReadExactly(2, crlf)) return false;
      if (size == 0) break;
      if (request.body.size() > kMaxBody) return false;
    }
  } else if (!request.Header("content-length").empty()) {
    const size_t length = std::stoul(request.Header("content-length"));
    if (length > kMaxBody || !c.ReadExactly(length, request.body)) return false;
  }
  return true;
}

void ServeConnection(int fd, const Handler& handler) {
  timeval idle{300, 0};  // an idle keep-alive connection is closed after five minutes
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
  sockaddr_in local{};
  socklen_t len = sizeof(local);
  getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
  char ip[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &local.sin_addr, ip, sizeof(ip));
  Connection c(fd);
  while (true) {
    HttpRequest request;
    request.local_ip = ip;
    try {
      if (!ReadRequest(c, request)) break;
    } catch (const std::exception&) {
      break;  // a malformed size: drop the connection, as a server would
    }
    const bool close_after = Lower(request.Header("connection")) == "close";
    HttpResponse response = handler(request);
    std::string head = fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\n", response.status, Reason(response.status),
                                   response.content_type);
    if (response.stream) {
      head += "Transfer-Encoding: chunked\r\nCache-Control: no-cache\r\n\r\n";
      if (!c.SendAll(head)) break;
      ChunkedWriter writer(c);
      response.stream(writer);
      if (!c.SendAll("0\r\n\r\n")) break;
    } else {
      head += fmt::format("Content-Length: {}\r\n\r\n", response.body.size());
      if (!c.SendAll(head + response.body)) break;
    }
    if (close_after) break;
  }
  close(fd);
}

}  // namespace

std::string HttpRequest::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

std::string Serve(int port, Handler handler) {
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || listen(listener, 128) != 0) {
    return fmt::format("cannot listen on port {}: {}", port, std::strerror(errno));
  }
  while (true) {
    const int fd = accept(listener, nullptr, nullptr);
    if (fd < 0) continue;
    std::thread([fd, &handler] { ServeConnection(fd, handler); }).detach();
  }
}

}  // namespace llm::engine_sim
