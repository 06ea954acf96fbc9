// SHA-256, OpenSSL's: the ApplySet id and the digests of applied objects and
// revisions (kube/apply_set.h). The release links no OpenSSL into the program
// (its network module holds it, kube/curl_library.h), so there the module's
// is used: only commands that talk to a server hash, and they have opened it.
#pragma once

#include <array>
#include <string_view>

namespace llm::kube {

std::array<unsigned char, 32> Sha256(std::string_view data);

}  // namespace llm::kube
