#include "kube/system_trust_store.h"

#include <unistd.h>

#include <array>

namespace llm::kube {
namespace {

// Go's crypto/x509 root_linux.go, in its order.
constexpr std::array<const char*, 6> kBundleFiles = {
    "/etc/ssl/certs/ca-certificates.crt",                 // Debian, Ubuntu, Gentoo, Arch
    "/etc/pki/tls/certs/ca-bundle.crt",                   // Fedora, RHEL 6
    "/etc/ssl/ca-bundle.pem",                             // openSUSE
    "/etc/pki/tls/cacert.pem",                            // OpenELEC
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // CentOS, RHEL 7
    "/etc/ssl/cert.pem",                                  // Alpine
};
// Go's certDirectories for Linux.
constexpr std::array<const char*, 2> kCertificateDirs = {
    "/etc/ssl/certs",      // SLES10, SLES11
    "/etc/pki/tls/certs",  // Fedora, RHEL
};

std::string FirstExisting(const auto& candidates, const std::function<bool(const std::string&)>& exists) {
  for (const char* candidate : candidates) {
    if (exists(candidate)) return candidate;
  }
  return "";
}

}  // namespace

SystemTrustStore FindSystemTrustStore(const Getenv& env, const std::function<bool(const std::string&)>& exists) {
  SystemTrustStore store;
  // Each variable replaces its own list, as in Go.
  if (auto file = env("SSL_CERT_FILE"); file && !file->empty()) {
    store.file = *file;
  } else {
    store.file = FirstExisting(kBundleFiles, exists);
  }
  if (auto dirs = env("SSL_CERT_DIR"); dirs && !dirs->empty()) {
    // Go reads every directory of the colon-separated list; libcurl takes one.
    store.dir = dirs->substr(0, dirs->find(':'));
  } else {
    store.dir = FirstExisting(kCertificateDirs, exists);
  }
  return store;
}

bool ReadableFile(const std::string& path) { return access(path.c_str(), R_OK) == 0; }

}  // namespace llm::kube
