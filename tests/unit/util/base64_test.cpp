#include "util/base64.h"

#include <doctest/doctest.h>

namespace llm {
namespace {

TEST_CASE("base64 round trips and rejects bad input") {
  struct Case {
    const char* plain;
    const char* encoded;
  };
  for (Case c : {Case{"", ""}, Case{"f", "Zg=="}, Case{"fo", "Zm8="}, Case{"foo", "Zm9v"}, Case{"foob", "Zm9vYg=="}}) {
    CHECK(Base64Encode(c.plain) == c.encoded);
    CHECK(Base64Decode(c.encoded) == std::string(c.plain));
  }
  CHECK(Base64Decode("Zm9v\nYmFy\n") == std::string("foobar"));  // wrapped PEM dumps
  CHECK_FALSE(Base64Decode("Zm9").has_value());
  CHECK_FALSE(Base64Decode("Zm=v").has_value());
  CHECK_FALSE(Base64Decode("Zm9!").has_value());
  std::string binary("\x00\xff\x10", 3);
  CHECK(Base64Decode(Base64Encode(binary)) == binary);
}

}  // namespace
}  // namespace llm
