#include "kube/curl_failure.h"

#include <doctest/doctest.h>

#include "kube/transport.h"

namespace llm::kube {
namespace {

/// A failure with curl code `code` talking to api.example:6443, before anything else is known.
CurlFailure Failure(int code) {
  CurlFailure f;
  f.code = code;
  f.host_port = "api.example:6443";
  f.host = "api.example";
  f.tls_name = "api.example";
  return f;
}

TEST_CASE("failures the loopback cannot produce are worded as kubectl's, and none of them is retryable") {
  CurlFailure dns = Failure(6);  // CURLE_COULDNT_RESOLVE_HOST
  dns.detail = "Could not resolve host: api.example";
  CHECK(CurlFailureError(dns).message() ==
        "Unable to connect to the server: dial tcp: lookup api.example: no such host");

  CurlFailure refused = Failure(7);  // CURLE_COULDNT_CONNECT
  refused.os_errno = ECONNREFUSED;
  CHECK(IsConnectionRefused(CurlFailureError(refused)));

  CurlFailure unreachable = Failure(7);
  unreachable.os_errno = EHOSTUNREACH;
  unreachable.remote = "10.0.0.9:6443";
  CHECK(CurlFailureError(unreachable).message() ==
        "Unable to connect to the server: dial tcp 10.0.0.9:6443: connect: no route to host");

  CurlFailure names_unknown = Failure(60);  // CURLE_PEER_FAILED_VERIFICATION: the chain verified, no CERTINFO
  names_unknown.detail = "SSL: no alternative certificate subject name matches target host name 'api.example'";
  CHECK(CurlFailureError(names_unknown).message() ==
        "Unable to connect to the server: tls: failed to verify certificate: x509: certificate is not valid for "
        "api.example");
  CurlFailure ipv6 = names_unknown;
  ipv6.tls_name = "[::2]";
  ipv6.certificate_names = std::vector<std::string>{"DNS:localhost", "IP Address:0:0:0:0:0:0:0:1"};
  CHECK(CurlFailureError(ipv6).message() ==
        "Unable to connect to the server: tls: failed to verify certificate: x509: certificate is valid for ::1, "
        "not ::2");
  CurlFailure no_ip_sans = ipv6;
  no_ip_sans.certificate_names = std::vector<std::string>{"DNS:localhost"};
  CHECK(CurlFailureError(no_ip_sans)
            .message()
            .ends_with("x509: cannot validate certificate for ::2 because it doesn't contain any IP SANs"));
  CurlFailure revoked = Failure(60);
  revoked.verify_result = 23;  // X509_V_ERR_CERT_REVOKED
  revoked.detail = "SSL certificate problem: certificate revoked";
  CHECK(CurlFailureError(revoked).message() ==
        "Unable to connect to the server: tls: failed to verify certificate: x509: certificate revoked");

  CurlFailure timeout = Failure(28);  // CURLE_OPERATION_TIMEDOUT
  timeout.detail = "Operation timed out after 5000 milliseconds with 0 bytes received";
  CHECK(CurlFailureError(timeout).kind() == ErrorKind::kTimeout);

  for (const CurlFailure& f : {dns, refused, unreachable, names_unknown, ipv6, revoked, timeout}) {
    CAPTURE(f.code);
    CHECK_FALSE(IsProbableEOF(CurlFailureError(f)));
  }
  CurlFailure goaway = Failure(16);  // CURLE_HTTP2: the connection under every stream failed
  goaway.detail = "Error in the HTTP2 framing layer";
  CHECK(IsProbableEOF(CurlFailureError(goaway)));
}

TEST_CASE("a connection closed in the TLS handshake is EOF and retryable, another handshake failure is not") {
  // A proxy that closes the connection in the TLS handshake (its backend is
  // down): Go says EOF, and the read is retried (the fault suite's stall).
  CurlFailure closed_in_handshake = Failure(35);  // CURLE_SSL_CONNECT_ERROR
  closed_in_handshake.detail = "OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to 127.0.0.1:6443 ";
  CHECK(CurlFailureError(closed_in_handshake).message() == "Unable to connect to the server: EOF");
  CHECK(IsProbableEOF(CurlFailureError(closed_in_handshake)));
  CurlFailure bad_handshake = Failure(35);
  bad_handshake.detail = "error:0A00010B:SSL routines::wrong version number";
  CHECK_FALSE(IsProbableEOF(CurlFailureError(bad_handshake)));
}

}  // namespace
}  // namespace llm::kube
