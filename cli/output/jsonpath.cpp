#include "output/jsonpath.h"

#include <array>
#include <cstdint>
#include <deque>
#include <span>

#include <fmt/format.h>

#include "output/go_value_text.h"
#include "output/jsonpath_parser.h"

namespace llm {

namespace {

using Node = JsonPathNode;
using NodePtr = std::shared_ptr<JsonPathNode>;

// A value as the evaluator holds it: a JSON value, and which Go type it has
// where that shows (literals of the template are `int`, a string's elements
// `uint8`, data numbers `int64`/`float64`). `json == nullptr` is Go's invalid
// reflect.Value, what the body of a range over nothing or over a null sees.
enum class GoType { kData, kTemplateInt, kByte };
struct Value {
  const nlohmann::json* json = nullptr;
  GoType type = GoType::kData;
};

bool IsNil(const Value& value) { return value.json != nullptr && value.json->is_null(); }

std::string GoTypeName(const Value& value) {
  if (value.type == GoType::kTemplateInt) return "int";
  if (value.type == GoType::kByte) return "uint8";
  switch (value.json->type()) {
    case nlohmann::json::value_t::object:
      return "map[string]interface {}";
    case nlohmann::json::value_t::array:
      return "[]interface {}";
    case nlohmann::json::value_t::string:
      return "string";
    case nlohmann::json::value_t::boolean:
      return "bool";
    case nlohmann::json::value_t::number_float:
      return "float64";
    default:
      return "int64";
  }
}

// fmt's %v of a reflect.Value, for error messages.
std::string GoValueText(const Value& value) {
  if (value.json == nullptr) return "<invalid reflect.Value>";
  return GoSprint(*value.json);
}

// text/template's comparison kinds (third_party/forked/golang/template).
enum class CompareKind { kInvalid, kBool, kInt, kUint, kFloat, kString };

CompareKind KindOf(const Value& value) {
  if (value.type == GoType::kTemplateInt) return CompareKind::kInt;
  if (value.type == GoType::kByte) return CompareKind::kUint;
  if (value.json == nullptr) return CompareKind::kInvalid;
  switch (value.json->type()) {
    case nlohmann::json::value_t::boolean:
      return CompareKind::kBool;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return CompareKind::kInt;
    case nlohmann::json::value_t::number_float:
      return CompareKind::kFloat;
    case nlohmann::json::value_t::string:
      return CompareKind::kString;
    default:
      return CompareKind::kInvalid;
  }
}

const Error kBadComparisonType(ErrorKind::kUsage, "invalid type for comparison");
const Error kBadComparison(ErrorKind::kUsage, "incompatible types for comparison");

// text/template's Equal and Less (third_party/forked/golang/template) as one
// three-way comparison: -1, 0 or 1 (1 also for a NaN, which is neither less
// nor equal). Booleans compare only for equality; an int and a uint compare by
// value; any other mix of kinds is an error.
Result<int> GoCompare(const Value& a, const Value& b, bool equality_only) {
  const CompareKind ka = KindOf(a);
  const CompareKind kb = KindOf(b);
  if (ka == CompareKind::kInvalid || kb == CompareKind::kInvalid) return kBadComparisonType;
  const nlohmann::json& x = *a.json;
  const nlohmann::json& y = *b.json;
  const auto three_way = [](const auto& l, const auto& r) { return l < r ? -1 : l == r ? 0 : 1; };
  if (ka != kb) {
    if (ka == CompareKind::kInt && kb == CompareKind::kUint) {
      return x.get<int64_t>() < 0 ? -1 : three_way(x.get<uint64_t>(), y.get<uint64_t>());
    }
    if (ka == CompareKind::kUint && kb == CompareKind::kInt) {
      return y.get<int64_t>() < 0 ? 1 : three_way(x.get<uint64_t>(), y.get<uint64_t>());
    }
    return kBadComparison;
  }
  switch (ka) {
    case CompareKind::kBool:
      if (!equality_only) return kBadComparisonType;
      return x.get<bool>() == y.get<bool>() ? 0 : 1;
    case CompareKind::kInt:
      return three_way(x.get<int64_t>(), y.get<int64_t>());
    case CompareKind::kUint:
      return three_way(x.get<uint64_t>(), y.get<uint64_t>());
    case CompareKind::kFloat:
      return three_way(x.get<double>(), y.get<double>());
    default:
      return three_way(x.get_ref<const std::string&>(), y.get_ref<const std::string&>());
  }
}

Result<bool> Compare(const std::string& op, const Value& left, const Value& right) {
  if (op != "==" && op != "!=" && op != "<" && op != "<=" && op != ">" && op != ">=") {
    return Error(ErrorKind::kUsage, fmt::format("unrecognized filter operator {}", op));
  }
  LLM_ASSIGN_OR_RETURN(int order, GoCompare(left, right, op == "==" || op == "!="));
  if (op == "==") return order == 0;
  if (op == "!=") return order != 0;
  if (op == "<") return order < 0;
  if (op == "<=") return order <= 0;
  if (op == ">") return order > 0;
  return order >= 0;
}

using Results = std::vector<Value>;

// client-go's JSONPath evaluation, with its range bookkeeping.
class Evaluator {
 public:
  explicit Evaluator(bool allow_missing_keys) : allow_missing_keys_(allow_missing_keys) {}

  Result<std::vector<Results>> FindResults(Value data, std::span<const NodePtr> nodes) {
    const Results cur = {data};
    std::vector<Results> full;
    for (size_t i = 0; i < nodes.size(); ++i) {
      LLM_ASSIGN_OR_RETURN(Results results, Walk(cur, *nodes[i]));
      if (end_range_ > 0 && end_range_ <= in_range_) {  // an {end}: this block is done
        --end_range_;
        last_end_node_ = &nodes[i];
        break;
      }
      if (begin_range_ > 0) {  // a {range}: the nodes after it, once per result
        --begin_range_;
        ++in_range_;
        const std::span<const NodePtr> body = nodes.subspan(i + 1);
        if (!results.empty()) {
          for (const Value& value : results) {
            // Go passes value.Interface() on, which turns a null into no value at all.
            Value item = IsNil(value) ? Value{} : value;
            LLM_ASSIGN_OR_RETURN(std::vector<Results> inner, FindResults(item, body));
            for (Results& r : inner) full.push_back(std::move(r));
          }
        } else {  // still walked once, to find where the range ends
          LLM_RETURN_IF_ERROR(FindResults(Value{}, body));
        }
        --in_range_;
        for (size_t k = i + 1; k < nodes.size(); ++k) {
          if (&nodes[k] == last_end_node_) {
            i = k;
            break;
          }
        }
        continue;
      }
      full.push_back(std::move(results));
    }
    return full;
  }

 private:
  Result<Results> Walk(const Results& input, const Node& node) {
    switch (node.kind) {
      case Node::Kind::kList:
        return EvalList(input, node);
      case Node::Kind::kText:
        return Results{Value{&node.literal}};
      case Node::Kind::kField:
        return EvalField(input, node);
      case Node::Kind::kArray:
        return EvalArray(input, node);
      case Node::Kind::kFilter:
        return EvalFilter(input, node);
      case Node::Kind::kInt:
      case Node::Kind::kFloat:
      case Node::Kind::kBool:
        return Results(input.size(),
                       Value{&node.literal, node.kind == Node::Kind::kInt ? GoType::kTemplateInt : GoType::kData});
      case Node::Kind::kWildcard:
        return EvalWildcard(input);
      case Node::Kind::kRecursive:
        return EvalRecursive(input);
      case Node::Kind::kUnion:
        return EvalUnion(input, node);
      case Node::Kind::kIdentifier:
        return EvalIdentifier(input, node);
    }
    return Error(ErrorKind::kInternal, "unexpected JSONPath node");
  }

  Result<Results> EvalList(const Results& input, const Node& list) {
    Results cur = input;
    for (const NodePtr& node : list.nodes) {
      LLM_ASSIGN_OR_RETURN(cur, Walk(cur, *node));
    }
    return cur;
  }

  Result<Results> EvalIdentifier(const Results& input, const Node& node) {
    if (node.name == "range") {
      ++begin_range_;
      return input;
    }
    if (node.name == "end") {
      if (in_range_ == 0) return Error(ErrorKind::kUsage, "not in range, nothing to end");
      ++end_range_;
      return Results{};
    }
    return Error(ErrorKind::kUsage, fmt::format("unrecognized identifier {}", node.name));
  }

  Result<Results> EvalArray(const Results& input, const Node& node) {
    Results result;
    for (const Value& value : input) {
      if (IsNil(value)) continue;
      if (value.json == nullptr || value.type != GoType::kData || !value.json->is_array()) {
        return Error(ErrorKind::kUsage,
                     fmt::format("{} is not array or slice", value.json == nullptr ? "<nil>" : GoTypeName(value)));
      }
      const auto length = static_cast<int64_t>(value.json->size());
      std::array<Node::SliceParam, 3> params = node.params;
      if (!params[0].known) params[0].value = 0;
      if (params[0].value < 0) params[0].value += length;
      if (!params[1].known) params[1].value = length;
      if (params[1].value < 0 || (params[1].value == 0 && params[1].derived)) params[1].value += length;
      if (params[1].value == params[0].value) return result;  // zero elements asked for: client-go stops here
      if (params[0].value >= length || params[0].value < 0) {
        return OutOfBounds(params[0].value, length);
      }
      if (params[1].value > length || params[1].value < 0) {
        return OutOfBounds(params[1].value - 1, length);
      }
      if (params[0].value > params[1].value) {
        return Error(ErrorKind::kUsage, fmt::format("starting index {} is greater than ending index {}",
                                                    params[0].value, params[1].value));
      }
      int64_t step = 1;
      if (params[2].known) {
        if (params[2].value <= 0) return Error(ErrorKind::kUsage, "step must be > 0");
        step = params[2].value;
      }
      for (int64_t i = params[0].value; i < params[1].value; i += step) {
        result.push_back(Value{&(*value.json)[static_cast<size_t>(i)]});
      }
    }
    return result;
  }

  static Error OutOfBounds(int64_t index, int64_t length) {
    return Error(ErrorKind::kUsage, fmt::format("array index out of bounds: index {}, length {}", index, length));
  }

  Result<Results> EvalUnion(const Results& input, const Node& node) {
    Results result;
    for (const NodePtr& list : node.nodes) {
      LLM_ASSIGN_OR_RETURN(Results part, EvalList(input, *list));
      result.insert(result.end(), part.begin(), part.end());
    }
    return result;
  }

  Result<Results> EvalField(const Results& input, const Node& node) {
    Results results;
    if (input.empty()) return results;
    for (const Value& value : input) {
      if (value.json == nullptr || value.type != GoType::kData || !value.json->is_object()) continue;
      auto it = value.json->find(node.name);
      if (it != value.json->end()) results.push_back(Value{&*it});
    }
    if (results.empty() && !allow_missing_keys_) {
      return Error(ErrorKind::kUsage, fmt::format("{} is not found", node.name));
    }
    return results;
  }

  // A value's elements as Go's reflection lists them: a map's values (Go in
  // random order, here by key), a list's items, a string's bytes.
  Results Children(const Value& value) {
    Results children;
    if (value.json == nullptr || value.type != GoType::kData) return children;
    if (value.json->is_object() || value.json->is_array()) {
      for (const nlohmann::json& child : *value.json) children.push_back(Value{&child});
    } else if (value.json->is_string()) {
      for (unsigned char byte : value.json->get_ref<const std::string&>()) {
        owned_.emplace_back(byte);
        children.push_back(Value{&owned_.back(), GoType::kByte});
      }
    }
    return children;
  }

  Results EvalWildcard(const Results& input) {
    Results results;
    for (const Value& value : input) {
      Results children = Children(value);
      results.insert(results.end(), children.begin(), children.end());
    }
    return results;
  }

  Results EvalRecursive(const Results& input) {
    Results result;
    for (const Value& value : input) {
      Results children = Children(value);
      if (children.empty()) continue;
      result.push_back(value);
      Results below = EvalRecursive(children);
      result.insert(result.end(), below.begin(), below.end());
    }
    return result;
  }

  Result<Results> EvalFilter(const Results& input, const Node& node) {
    Results results;
    const Node& left_list = *node.nodes[0];
    const Node& right_list = *node.nodes[1];
    for (const Value& value : input) {
      if (value.json == nullptr || value.type != GoType::kData || !value.json->is_array()) {
        return Error(ErrorKind::kUsage,
                     fmt::format("{} is not array or slice and cannot be filtered", GoValueText(value)));
      }
      for (const nlohmann::json& element : *value.json) {
        const Results item = {Value{&element}};
        auto lefts = EvalList(item, left_list);
        if (node.name == "exists") {  // client-go ignores the error here: a missing key is just absent
          if (lefts.ok() && !lefts->empty()) results.push_back(item.front());
          continue;
        }
        if (!lefts.ok()) return lefts.error();
        if (lefts->empty()) continue;
        if (lefts->size() > 1) return Error(ErrorKind::kUsage, "can only compare one element at a time");
        LLM_ASSIGN_OR_RETURN(Results rights, EvalList(item, right_list));
        if (rights.empty()) continue;
        if (rights.size() > 1) return Error(ErrorKind::kUsage, "can only compare one element at a time");
        LLM_ASSIGN_OR_RETURN(bool pass, Compare(node.name, lefts->front(), rights.front()));
        if (pass) results.push_back(item.front());
      }
    }
    return results;
  }

  bool allow_missing_keys_;
  int begin_range_ = 0;
  int in_range_ = 0;
  int end_range_ = 0;
  const NodePtr* last_end_node_ = nullptr;
  std::deque<nlohmann::json> owned_;  ///< a string's bytes, which no JSON value holds
};

// PrintResults: maps and lists as compact JSON, the rest as fmt prints them,
// separated by single spaces.
std::string PrintResults(const Results& results) {
  std::string out;
  for (size_t i = 0; i < results.size(); ++i) {
    const Value& value = results[i];
    if (value.json == nullptr) {
      out += "<no value>";
    } else if (value.json->is_object() || value.json->is_array()) {
      out += GoJsonMarshal(*value.json);
    } else if (value.json->is_null()) {
      out += "null";
    } else {
      out += GoSprint(*value.json);
    }
    if (i + 1 != results.size()) out += ' ';
  }
  return out;
}

}  // namespace

Result<JsonPath> JsonPath::Parse(std::string_view text) {
  LLM_ASSIGN_OR_RETURN(NodePtr root, ParseJsonPathTree(text));
  return JsonPath(std::string(text), std::move(root));
}

Result<std::string> JsonPath::Execute(const nlohmann::json& data, bool allow_missing_keys) const {
  Evaluator evaluator(allow_missing_keys);
  LLM_ASSIGN_OR_RETURN(std::vector<Results> all, evaluator.FindResults(Value{&data}, root_->nodes));
  std::string out;
  for (const Results& results : all) out += PrintResults(results);
  return out;
}

Result<std::vector<std::string>> JsonPath::FindValueTexts(const nlohmann::json& data) const {
  Evaluator evaluator(/*allow_missing_keys=*/true);
  LLM_ASSIGN_OR_RETURN(std::vector<Results> all, evaluator.FindResults(Value{&data}, root_->nodes));
  std::vector<std::string> texts;
  for (const Results& results : all) {
    for (const Value& value : results) texts.push_back(value.json == nullptr ? "<nil>" : GoSprint(*value.json));
  }
  return texts;
}

Result<std::vector<std::vector<nlohmann::json>>> JsonPath::FindValues(const nlohmann::json& data) const {
  Evaluator evaluator(/*allow_missing_keys=*/true);
  LLM_ASSIGN_OR_RETURN(std::vector<Results> all, evaluator.FindResults(Value{&data}, root_->nodes));
  std::vector<std::vector<nlohmann::json>> values;
  values.reserve(all.size());
  for (const Results& results : all) {
    std::vector<nlohmann::json>& action = values.emplace_back();
    for (const Value& value : results) action.push_back(value.json == nullptr ? nlohmann::json() : *value.json);
  }
  return values;
}

}  // namespace llm
