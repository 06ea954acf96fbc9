#include "kube/sha256.h"

#ifdef LLM_CURL_MODULE
#include "kube/curl_library.h"
#else
#include <openssl/evp.h>
#endif

namespace llm::kube {

std::array<unsigned char, 32> Sha256(std::string_view data) {
  std::array<unsigned char, 32> digest{};
#ifdef LLM_CURL_MODULE
  // Opened already by the transport that reached the server (never fails here).
  (*LoadCurl())->sha256(data.data(), data.size(), digest.data());
#else
  EVP_Digest(data.data(), data.size(), digest.data(), nullptr, EVP_sha256(), nullptr);
#endif
  return digest;
}

}  // namespace llm::kube
