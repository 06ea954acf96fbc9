// validate-nodes reads and writes RFC 3339 timestamps with whole seconds:
// ParseRfc3339 / FormatRfc3339 and TimePoint from util/rfc3339.h.
#pragma once

#include "util/rfc3339.h"
