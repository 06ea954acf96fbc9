// The vector selectors of a PromQL expression (`metric{label="v", ...}`), so
// a query someone wrote for an autoscaler or dashboard can be checked against
// what an engine exposes: which metric names it reads and which labels it
// filters on. Only the selectors are read; functions, aggregations, operators,
// ranges and offsets around them are skipped, not evaluated.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace llm {

struct LabelMatcher {
  std::string label;
  std::string op;  ///< "=", "!=", "=~" or "!~"
  std::string value;
};

struct VectorSelector {
  std::string metric;                  ///< from `name{...}` or `{__name__="name"}`; "" when neither names one
  std::vector<LabelMatcher> matchers;  ///< __name__ excluded
};

/// Every vector selector, in the order written. An error names the offset
/// and what was expected ("offset 14: expected a label name in {...}").
Result<std::vector<VectorSelector>> VectorSelectors(std::string_view expression);

/// Labels Prometheus attaches from the scrape target (pod, namespace, job,
/// instance, ...), not from the exposition: a query may filter on them though
/// no engine writes them.
bool IsTargetLabel(std::string_view label);

}  // namespace llm
