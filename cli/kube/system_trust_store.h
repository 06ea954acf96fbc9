// The system's CA certificates, for the release's own libcurl (its network module)
// (kube/curl_library.h), which has no bundle path compiled in: one binary runs
// on Debian, Fedora, SUSE and Alpine, which keep them in different places.
// Found as Go's crypto/x509 finds them on Linux, so kubectl and the plugin
// trust the same servers when a kubeconfig names no certificate-authority.
#pragma once

#include <functional>
#include <string>

#include "util/environment.h"

namespace llm::kube {

struct SystemTrustStore {
  std::string file;  ///< a PEM bundle (CURLOPT_CAINFO); empty when none
  std::string dir;   ///< a hashed certificate directory (CURLOPT_CAPATH); empty when none
};

/// The bundle: SSL_CERT_FILE when set, else the first of Go's list that
/// exists. The directory: the first of SSL_CERT_DIR when set, else the first
/// of Go's that exists. Go reads both, and so does libcurl given both.
SystemTrustStore FindSystemTrustStore(const Getenv& env, const std::function<bool(const std::string&)>& exists);

/// `exists` for the real file system: the path can be read.
bool ReadableFile(const std::string& path);

}  // namespace llm::kube
