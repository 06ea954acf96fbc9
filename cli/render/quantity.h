// resource.Quantity syntax, checked before a value reaches a manifest.
#pragma once

#include <string_view>

#include "util/result.h"

namespace llm {

/// Ok when `s` is a non-negative Kubernetes quantity ("500m", "16Gi", "1e3", "2"),
/// following apimachinery's grammar: <number><suffix>, suffix one of the binary SI
/// suffixes Ki Mi Gi Ti Pi Ei, the decimal SI suffixes n u m "" k M G T P E, or a
/// decimal exponent e<int>/E<int>. `flag` names the flag in the message.
Status CheckQuantity(std::string_view s, std::string_view flag);

/// Like CheckQuantity, and also refuses zero (sizes and requests that must be > 0).
Status CheckPositiveQuantity(std::string_view s, std::string_view flag);

}  // namespace llm
