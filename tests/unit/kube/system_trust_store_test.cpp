#include "kube/system_trust_store.h"

#include <set>

#include <doctest/doctest.h>

namespace llm::kube {
namespace {

std::function<bool(const std::string&)> Existing(std::set<std::string> paths) {
  return [paths = std::move(paths)](const std::string& path) { return paths.contains(path); };
}

TEST_CASE("FindSystemTrustStore: Debian's bundle and directory") {
  SystemTrustStore store = FindSystemTrustStore(
      MapGetenv({}), Existing({"/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs", "/etc/ssl/cert.pem"}));
  CHECK(store.file == "/etc/ssl/certs/ca-certificates.crt");
  CHECK(store.dir == "/etc/ssl/certs");
}

TEST_CASE("FindSystemTrustStore: Fedora's, where Debian's paths are absent") {
  SystemTrustStore store =
      FindSystemTrustStore(MapGetenv({}), Existing({"/etc/pki/tls/certs/ca-bundle.crt", "/etc/pki/tls/certs",
                                                    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"}));
  CHECK(store.file == "/etc/pki/tls/certs/ca-bundle.crt");
  CHECK(store.dir == "/etc/pki/tls/certs");
}

TEST_CASE("FindSystemTrustStore: Alpine's bundle comes last in Go's order") {
  SystemTrustStore store = FindSystemTrustStore(MapGetenv({}), Existing({"/etc/ssl/cert.pem"}));
  CHECK(store.file == "/etc/ssl/cert.pem");
  CHECK(store.dir.empty());
}

TEST_CASE("FindSystemTrustStore: nothing found leaves both empty") {
  SystemTrustStore store = FindSystemTrustStore(MapGetenv({}), Existing({}));
  CHECK(store.file.empty());
  CHECK(store.dir.empty());
}

TEST_CASE("FindSystemTrustStore: SSL_CERT_FILE and SSL_CERT_DIR each replace their own list") {
  auto everything = Existing({"/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs"});
  SystemTrustStore file_only = FindSystemTrustStore(MapGetenv({{"SSL_CERT_FILE", "/opt/ca.pem"}}), everything);
  CHECK(file_only.file == "/opt/ca.pem");
  CHECK(file_only.dir == "/etc/ssl/certs");

  SystemTrustStore dir_only = FindSystemTrustStore(MapGetenv({{"SSL_CERT_DIR", "/opt/certs:/srv/certs"}}), everything);
  CHECK(dir_only.file == "/etc/ssl/certs/ca-certificates.crt");
  CHECK(dir_only.dir == "/opt/certs");  // libcurl takes one directory: the first

  SystemTrustStore empty_values =
      FindSystemTrustStore(MapGetenv({{"SSL_CERT_FILE", ""}, {"SSL_CERT_DIR", ""}}), everything);
  CHECK(empty_values.file == "/etc/ssl/certs/ca-certificates.crt");
  CHECK(empty_values.dir == "/etc/ssl/certs");
}

}  // namespace
}  // namespace llm::kube
