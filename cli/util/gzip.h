// gzip (RFC 1952) for payloads the plugin stores in the cluster: a revision's
// rendered objects compress about tenfold, which is what keeps a workload's
// history far below the 1 MiB a Secret may hold.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace llm {

std::string GzipCompress(std::string_view bytes);

/// Errors (kInvalidInput) for data that is not one whole gzip stream, and for
/// output beyond `max_size` (a damaged or hostile payload must not fill memory).
Result<std::string> GzipDecompress(std::string_view gzip, size_t max_size = size_t{64} << 20);

}  // namespace llm
