// --sort-by, as kubectl get sorts (k8s.io/kubectl/pkg/cmd/get/sorter.go): a
// relaxed JSONPath (".metadata.name", "{.metadata.creationTimestamp}")
// evaluated over each listed object with output/jsonpath.h, and the first
// value it finds compared by kubectl's isLess: numbers as numbers, two
// strings that both parse as Kubernetes quantities ("500m", "2Gi", "10") as
// quantities, other strings byte by byte (RFC 3339 timestamps, as the API
// server writes them, are then in time order), null and a missing value
// first. A path that finds a value in no object is kubectl's error; values
// that kubectl cannot order (a map, a list, a bool, a number against a
// string) are an error naming the flag, where kubectl exits with a Go panic
// message.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "output/jsonpath.h"
#include "util/result.h"

namespace llm {

class SortBy {
 public:
  /// The flag's value; a path kubectl's relaxed form or its JSONPath parser
  /// refuses is a usage error with their words.
  static Result<SortBy> Parse(std::string_view field);

  /// The indexes of `objects` in sorted order (a stable sort: equal values
  /// keep the listing's order). No objects, no error.
  Result<std::vector<size_t>> Order(std::span<const nlohmann::json* const> objects) const;

  /// The relaxed path as kubectl prints it in errors: "{.metadata.name}".
  const std::string& field() const { return field_; }

 private:
  SortBy(std::string field, JsonPath path) : field_(std::move(field)), path_(std::move(path)) {}
  std::string field_;
  JsonPath path_;
};

/// resource.ParseQuantity's syntax ("1.5", "-2", "500m", "16Gi", "1e3"),
/// as a number for ordering; false when `text` is no quantity.
bool QuantityValue(std::string_view text, long double* value);

}  // namespace llm
