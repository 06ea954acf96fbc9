#include "kube/curl_failure.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <openssl/x509_vfy.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kube/transport.h"

namespace llm::kube {
namespace {

/// An IP literal in Go's form (net.IP.String: IPv6 compressed), or nullopt for a name.
std::optional<std::string> IpLiteral(std::string text) {
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  unsigned char bytes[16];
  char out[INET6_ADDRSTRLEN];
  for (int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, text.c_str(), bytes) == 1 && inet_ntop(family, bytes, out, sizeof(out)) != nullptr) {
      return std::string(out);
    }
  }
  return std::nullopt;
}

/// Go's x509.HostnameError text: the names of the certificate's kind (IP SANs
/// for an IP, DNS SANs for a name) that did not match.
std::string HostnameMismatch(const CurlFailure& f) {
  if (!f.certificate_names) return fmt::format("x509: certificate is not valid for {}", f.tls_name);
  const std::optional<std::string> ip = IpLiteral(f.tls_name);
  std::vector<std::string> valid;
  for (const std::string& name : *f.certificate_names) {
    if (ip && name.starts_with("IP Address:")) valid.push_back(IpLiteral(name.substr(11)).value_or(name.substr(11)));
    if (!ip && name.starts_with("DNS:")) valid.push_back(name.substr(4));
  }
  if (valid.empty()) {
    return ip ? fmt::format("x509: cannot validate certificate for {} because it doesn't contain any IP SANs", *ip)
              : fmt::format("x509: certificate is not valid for any names, but wanted to match {}", f.tls_name);
  }
  return fmt::format("x509: certificate is valid for {}, not {}", fmt::join(valid, ", "), ip.value_or(f.tls_name));
}

/// crypto/x509's words for what failed. libcurl reports OpenSSL's verdict on
/// the chain as "SSL certificate problem: ..." (the code in verify_result); its
/// own host name check comes only after a chain that verified.
std::string CertificateProblem(const CurlFailure& f) {
  constexpr std::string_view kChainProblem = "SSL certificate problem: ";
  const auto chain_problem = f.detail.find(kChainProblem);
  if (chain_problem == std::string::npos) return HostnameMismatch(f);
  switch (f.verify_result) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "x509: certificate has expired or is not yet valid";
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return "x509: certificate signed by unknown authority";
    default:
      return "x509: " + f.detail.substr(chain_problem + kChainProblem.size());
  }
}

/// Go's "read tcp LOCAL->REMOTE: read: connection reset by peer" (or write).
std::string ConnectionReset(const CurlFailure& f, std::string_view op) {
  if (f.local.empty() || f.remote.empty()) return fmt::format("{}: connection reset by peer", op);
  return fmt::format("{} tcp {}->{}: {}: connection reset by peer", op, f.local, f.remote, op);
}

/// strerror as Go's syscall.Errno prints it: lower case.
std::string ErrnoText(long os_errno) {
  std::string text = std::strerror(static_cast<int>(os_errno));
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

}  // namespace

std::string JoinHostPort(const std::string& ip, long port) {
  return ip.find(':') != std::string::npos ? fmt::format("[{}]:{}", ip, port) : fmt::format("{}:{}", ip, port);
}

Error CurlFailureError(const CurlFailure& f) {
  switch (f.code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return UnableToConnectError(fmt::format("dial tcp: lookup {}: no such host", f.host));
    case CURLE_COULDNT_CONNECT:
      if (f.os_errno == ECONNREFUSED || (f.os_errno == 0 && f.detail.find("refused") != std::string::npos)) {
        return ConnectionRefusedError(f.host_port);
      }
      if (f.os_errno != 0) {
        return UnableToConnectError(
            fmt::format("dial tcp {}: connect: {}", f.remote.empty() ? f.host_port : f.remote, ErrnoText(f.os_errno)));
      }
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
      return UnableToConnectError("tls: failed to verify certificate: " + CertificateProblem(f));
    case CURLE_SSL_CONNECT_ERROR:  // the handshake; a reset here is as transient as anywhere
      // Closed by the peer in the handshake (OpenSSL's SSL_ERROR_SYSCALL with
      // no errno), as a proxy or load balancer does when its backend is gone:
      // Go's crypto/tls says EOF, which client-go retries for reads.
      if (f.os_errno == 0 && f.detail.find("SSL_ERROR_SYSCALL") != std::string::npos) {
        return UnableToConnectError("EOF");
      }
      [[fallthrough]];
    case CURLE_RECV_ERROR:
      if (f.os_errno == ECONNRESET) return UnableToConnectError(ConnectionReset(f, "read"));
      break;
    case CURLE_SEND_ERROR:
      if (f.os_errno == ECONNRESET) return UnableToConnectError(ConnectionReset(f, "write"));
      break;
    case CURLE_GOT_NOTHING:  // closed before any response
      return UnableToConnectError("EOF");
    case CURLE_PARTIAL_FILE:  // closed inside the body
      return UnableToConnectError("unexpected EOF");
    case CURLE_HTTP2:  // the connection failed under every stream on it
      return UnableToConnectError("http2: client connection lost (" + f.detail + ")");
    case CURLE_OPERATION_TIMEDOUT:
      return UnableToConnectError(f.detail, ErrorKind::kTimeout);
    default:
      break;
  }
  return UnableToConnectError(f.detail);
}

}  // namespace llm::kube
