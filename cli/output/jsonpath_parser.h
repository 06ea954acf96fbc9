// client-go's JSONPath parser (k8s.io/client-go/util/jsonpath/parser.go,
// v0.35), step for step: a template becomes the same node tree, or fails with
// the same message. output/jsonpath.h evaluates the tree.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/result.h"

namespace llm {

// client-go's node tree: an action ({...}) is a list of steps; the template
// is a list of texts and actions.
struct JsonPathNode {
  enum class Kind {
    kText,
    kList,
    kField,
    kIdentifier,
    kArray,
    kFilter,
    kInt,
    kFloat,
    kBool,
    kWildcard,
    kRecursive,
    kUnion
  };
  struct SliceParam {
    int64_t value = 0;
    bool known = false;
    bool derived = false;  ///< the end of [n], which is n+1
  };

  Kind kind;
  std::string name;                                  ///< field or identifier name, filter operator
  nlohmann::json literal;                            ///< text, int, float or bool
  std::array<SliceParam, 3> params{};                ///< start, end, step
  std::vector<std::shared_ptr<JsonPathNode>> nodes;  ///< a list's steps; a union's lists; a filter's left and right
};

/// The template's tree: a kList of texts and actions, or client-go's parse error.
Result<std::shared_ptr<JsonPathNode>> ParseJsonPathTree(std::string_view text);

}  // namespace llm
