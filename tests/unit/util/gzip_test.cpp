#include "util/gzip.h"

#include <doctest/doctest.h>

#include <string>

namespace llm {
namespace {

TEST_CASE("gzip: round trip, and repetitive text shrinks") {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "apiVersion: apps/v1\nkind: Deployment\n";
  const std::string packed = GzipCompress(text);
  CHECK(packed.size() < text.size() / 10);
  // RFC 1952's magic bytes: a gzip stream, not raw zlib.
  CHECK(static_cast<unsigned char>(packed[0]) == 0x1f);
  CHECK(static_cast<unsigned char>(packed[1]) == 0x8b);
  auto unpacked = GzipDecompress(packed);
  REQUIRE(unpacked.ok());
  CHECK(*unpacked == text);
  CHECK(*GzipDecompress(GzipCompress("")) == "");
}

TEST_CASE("gzip: damaged, truncated, trailing and oversized data are errors") {
  const std::string packed = GzipCompress(std::string(100000, 'x'));
  CHECK_FALSE(GzipDecompress("not gzip at all").ok());
  auto truncated = GzipDecompress(packed.substr(0, packed.size() / 2));
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.error().message().find("gzip: damaged data") != std::string::npos);
  CHECK(GzipDecompress(packed + "junk").error().message() == "gzip: bytes after the end of the stream");
  auto oversized = GzipDecompress(packed, 1000);
  REQUIRE_FALSE(oversized.ok());
  CHECK(oversized.error().message() == "gzip: data expands beyond 1000 bytes");
}

}  // namespace
}  // namespace llm
