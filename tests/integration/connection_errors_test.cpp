// Issue #11, item 4 and two of item 5, against the real API server and the real
// kubectl: what a retry cannot fix (an unknown host, a certificate that does
// not verify, nothing listening) fails at once with kubectl's words; a right
// tls-server-name reaches the server; --request-timeout goes to the server as
// ?timeout=, as client-go sends it.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "integration/test_cluster.h"

namespace llm::testing {
namespace {

using Clock = std::chrono::steady_clock;

/// A loopback port nothing listens on: bound by the kernel's choice, then closed.
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

/// kubectl's verdict: the last line of its stderr (client-go logs each failed
/// discovery attempt before it).
std::string LastLine(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  auto at = trimmed.rfind('\n');
  return at == std::string::npos ? trimmed : trimmed.substr(at + 1);
}

struct Timed {
  CommandOutput output;
  double seconds = 0;
};

Timed Plugin(std::vector<std::string> args, const std::vector<std::string>& flags) {
  args.insert(args.end(), flags.begin(), flags.end());
  auto start = Clock::now();
  Timed t{TestCluster::Get().Plugin("admin", args)};
  t.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return t;
}

// The bound is what the issue asks for (kubectl fails in ~0.2 s here; the plugin
// took 48 s on an unknown host); generous enough for a loaded 2-core machine.
constexpr double kFailFastSeconds = 2.0;

struct Outcome {
  Timed version;        ///< `kubectl llm version`: its first request is the failing one
  Timed status;         ///< `kubectl llm status`: the issue's example, through discovery
  std::string kubectl;  ///< the last line of `kubectl get pods`' stderr, its verdict
};

/// The plugin and the real kubectl, both as admin with the same extra flags.
/// Both plugin commands fail at once, with kubectl's message at the end of theirs.
Outcome Both(const std::vector<std::string>& flags) {
  Outcome o{Plugin({"version"}, flags), Plugin({"status"}, flags), ""};
  std::vector<std::string> kubectl_args = {"get", "pods"};
  kubectl_args.insert(kubectl_args.end(), flags.begin(), flags.end());
  CommandOutput kubectl = TestCluster::Get().Kubectl("admin", kubectl_args);
  CHECK(kubectl.exit_code != 0);
  o.kubectl = LastLine(kubectl.err);
  for (const Timed* t : {&o.version, &o.status}) {
    CAPTURE(t->output.err);
    CHECK(t->output.exit_code == 1);
    CHECK(t->seconds < kFailFastSeconds);
  }
  // `status` (which fails in discovery) says exactly what `version` says: kubectl's words alone.
  CHECK(o.status.output.err == o.version.output.err);
  return o;
}

TEST_CASE("an unknown host fails at once with kubectl's lookup message") {
  Outcome o = Both({"--server", "https://nonexistent.invalid:6443"});
  // Go's own resolver names the DNS server it asked ("lookup HOST on 10.0.0.2:53:
  // no such host"); libcurl's getaddrinfo does not say, so the plugin words it
  // as Go's cgo resolver does. Everything else is the same.
  const std::string lead = "Unable to connect to the server: dial tcp: lookup nonexistent.invalid";
  CHECK(o.kubectl.starts_with(lead));
  CHECK(o.kubectl.ends_with(": no such host"));
  CHECK(o.version.output.err == lead + ": no such host\n");
}

TEST_CASE("a certificate from another CA fails at once with kubectl's x509 message") {
  Outcome o = Both({"--certificate-authority", std::string(LLM_TESTDATA_DIR) + "/tls/ca.crt"});
  CHECK(o.kubectl ==
        "Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown "
        "authority");
  CHECK(o.version.output.err == o.kubectl + "\n");
}

TEST_CASE("a tls-server-name the certificate does not hold fails at once, naming the names it does hold") {
  Outcome o = Both({"--tls-server-name", "wrong.example"});
  CHECK(o.kubectl ==
        "Unable to connect to the server: tls: failed to verify certificate: x509: certificate is valid for "
        "localhost, kubernetes, kubernetes.default, kubernetes.default.svc, kubernetes.default.svc.cluster.local, "
        "not wrong.example");
  CHECK(o.version.output.err == o.kubectl + "\n");
}

TEST_CASE("a port nothing listens on fails at once with kubectl's connection refused message") {
  const std::string host_port = "127.0.0.1:" + std::to_string(FreePort());
  Outcome o = Both({"--server", "https://" + host_port});
  CHECK(o.kubectl ==
        "The connection to the server " + host_port + " was refused - did you specify the right host or port?");
  CHECK(o.version.output.err == o.kubectl + "\n");
}

TEST_CASE("a tls-server-name the server's certificate holds is used to verify it, and the request goes through") {
  // The server is dialled at 127.0.0.1 and its certificate checked for
  // kubernetes.default (a SAN of it) over HTTP/2; the Host header staying
  // 127.0.0.1:PORT is checked on the wire in the transport's unit test.
  CommandOutput ours = TestCluster::Get().Plugin("admin", {"version", "--tls-server-name", "kubernetes.default"});
  CAPTURE(ours.err);
  CHECK(ours.exit_code == 0);
  CHECK(ours.out.find("Server Version: v1.35.4") != std::string::npos);
}

TEST_CASE("--request-timeout goes to the server as ?timeout= in Go's duration format, as kubectl sends it") {
  CommandOutput ours = TestCluster::Get().Plugin("admin", {"status", "-A", "-v=6", "--request-timeout=5s"});
  CAPTURE(ours.err);
  REQUIRE(ours.exit_code == 0);
  CommandOutput kubectl = TestCluster::Get().Kubectl("admin", {"get", "pods", "-A", "-v=6", "--request-timeout=5s"});
  REQUIRE(kubectl.exit_code == 0);
  REQUIRE(kubectl.err.find("timeout=5s") != std::string::npos);  // what we imitate
  // Every request line -v=6 logs ("GET https://... 200 OK in N milliseconds") carries it.
  const std::string server = TestCluster::Get().Server();
  int requests = 0;
  size_t at = 0;
  while ((at = ours.err.find(" " + server + "/", at)) != std::string::npos) {
    size_t end = ours.err.find(' ', at + 1);
    std::string url = ours.err.substr(at + 1, end - at - 1);
    CAPTURE(url);
    CHECK((url.find("?timeout=5s") != std::string::npos || url.find("&timeout=5s") != std::string::npos));
    ++requests;
    at = end;
  }
  CHECK(requests > 0);
}

}  // namespace
}  // namespace llm::testing
