// CurlFailure: what libcurl said about a failed transfer, and its wording in
// Go's and kubectl's words (CurlFailureError), so that a failure reads and
// retries as kubectl's would. Apart from the transport: a pure function of the
// facts gathered, tested without a connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/result.h"

namespace llm::kube {

/// What libcurl said about a failed transfer, gathered in one place so that
/// CurlFailureError is a pure function of it.
struct CurlFailure {
  int code = 0;               ///< the CURLcode
  long os_errno = 0;          ///< CURLINFO_OS_ERRNO
  long verify_result = 0;     ///< CURLINFO_SSL_VERIFYRESULT: OpenSSL's X509_V_ERR_* code for the chain
  std::string detail;         ///< libcurl's error buffer
  std::string host_port;      ///< the server URL's host[:port], as written
  std::string host;           ///< the URL's host, looked up and dialled
  std::string tls_name;       ///< the name the certificate must hold: tls-server-name, else `host`
  std::string local, remote;  ///< "ip:port" of both ends, once connected
  /// The server certificate's subject alternative names as OpenSSL prints them
  /// ("DNS:x", "IP Address:y"); libcurl reports them only for a certificate
  /// whose chain verified, i.e. when the name was the problem.
  std::optional<std::vector<std::string>> certificate_names;
};

/// The failure in kubectl's words ("Unable to connect to the server: " and
/// Go's text; kubectl's "connection refused" sentence), and so in the class
/// client-go gives it: a reset or an EOF is IsProbableEOF (a GET retries it);
/// DNS, TLS, refused and everything else fail at once. kTimeout for timeouts.
Error CurlFailureError(const CurlFailure& failure);

/// Go's net.JoinHostPort: IPv6 addresses in brackets.
std::string JoinHostPort(const std::string& ip, long port);

}  // namespace llm::kube
