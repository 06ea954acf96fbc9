#include "util/gzip.h"

#include <zlib.h>

#include <fmt/format.h>

namespace llm {
namespace {

// 15 bits of window, +16: a gzip header and trailer instead of zlib's.
constexpr int kGzipWindowBits = 15 + 16;

}  // namespace

std::string GzipCompress(std::string_view bytes) {
  z_stream stream{};
  // Only fails for bad arguments or no memory; both are programming errors here.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::bad_alloc();
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(bytes.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::bad_alloc();
  return out;
}

Result<std::string> GzipDecompress(std::string_view gzip, size_t max_size) {
  z_stream stream{};
  if (inflateInit2(&stream, kGzipWindowBits) != Z_OK) return Error(ErrorKind::kInternal, "gzip: cannot start inflate");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data()));
  stream.avail_in = static_cast<uInt>(gzip.size());
  std::string out;
  char buffer[64 * 1024];
  int result = Z_OK;
  while (result != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    result = inflate(&stream, Z_NO_FLUSH);
    if (result != Z_OK && result != Z_STREAM_END) {
      inflateEnd(&stream);
      return Error(ErrorKind::kInvalidInput,
                   fmt::format("gzip: damaged data ({})", stream.msg ? stream.msg : "truncated stream"));
    }
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (out.size() > max_size) {
      inflateEnd(&stream);
      return Error(ErrorKind::kInvalidInput, fmt::format("gzip: data expands beyond {} bytes", max_size));
    }
  }
  const bool trailing = stream.avail_in != 0;
  inflateEnd(&stream);
  if (trailing) return Error(ErrorKind::kInvalidInput, "gzip: bytes after the end of the stream");
  return out;
}

}  // namespace llm
