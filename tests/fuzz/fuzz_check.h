// FUZZ_CHECK: a property a fuzz target asserts. A violation prints what broke
// and aborts, which libFuzzer reports as a crash and keeps as an artifact.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(condition, what)                                                       \
  do {                                                                                    \
    if (!(condition)) {                                                                   \
      std::fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, (what)); \
      std::abort();                                                                       \
    }                                                                                     \
  } while (false)

namespace llm::fuzz {

/// The input as text.
inline std::string_view Text(const unsigned char* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Cuts `rest` at the first `separator`: returns what came before and keeps the rest.
inline std::string_view TakeUntil(std::string_view& rest, char separator) {
  size_t at = rest.find(separator);
  std::string_view head = rest.substr(0, at);
  rest = at == std::string_view::npos ? std::string_view() : rest.substr(at + 1);
  return head;
}

}  // namespace llm::fuzz
