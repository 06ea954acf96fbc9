#include "output/sort_by.h"

#include <cmath>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>

#include "output/custom_columns.h"

namespace llm {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

/// The multiplier of a quantity suffix (resource.Quantity's suffixer), or
/// nullopt for a suffix it does not know.
std::optional<long double> SuffixMultiplier(std::string_view suffix) {
  struct Named {
    std::string_view suffix;
    long double multiplier;
  };
  static constexpr Named kSuffixes[] = {
      {"", 1.0L},
      {"n", 1e-9L},
      {"u", 1e-6L},
      {"m", 1e-3L},
      {"k", 1e3L},
      {"M", 1e6L},
      {"G", 1e9L},
      {"T", 1e12L},
      {"P", 1e15L},
      {"E", 1e18L},
      {"Ki", 1024.0L},
      {"Mi", 1048576.0L},
      {"Gi", 1073741824.0L},
      {"Ti", 1099511627776.0L},
      {"Pi", 1125899906842624.0L},
      {"Ei", 1152921504606846976.0L},
  };
  for (const Named& named : kSuffixes) {
    if (named.suffix == suffix) return named.multiplier;
  }
  // A decimal exponent: e or E, an optional sign, digits.
  if (suffix.size() < 2 || (suffix[0] != 'e' && suffix[0] != 'E')) return std::nullopt;
  size_t i = 1;
  if (suffix[i] == '+' || suffix[i] == '-') ++i;
  if (i == suffix.size() || suffix.size() - i > 4) return std::nullopt;
  for (size_t k = i; k < suffix.size(); ++k) {
    if (!IsDigit(suffix[k])) return std::nullopt;
  }
  const long exponent = std::strtol(std::string(suffix.substr(1)).c_str(), nullptr, 10);
  return std::pow(10.0L, static_cast<long double>(exponent));
}

// Where kubectl's isLess (sorter.go) stands on two values of unstructured
// JSON, as client-go's JSONPath finds them (interface values).
enum class Kind { kNull, kInt, kFloat, kString, kBool, kMap, kList };

Kind KindOf(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return Kind::kNull;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return Kind::kInt;
    case nlohmann::json::value_t::number_float:
      return Kind::kFloat;
    case nlohmann::json::value_t::string:
      return Kind::kString;
    case nlohmann::json::value_t::boolean:
      return Kind::kBool;
    case nlohmann::json::value_t::object:
      return Kind::kMap;
    default:
      return Kind::kList;
  }
}

std::string_view GoTypeName(Kind kind) {
  switch (kind) {
    case Kind::kNull:
      return "<nil>";
    case Kind::kInt:
      return "int64";
    case Kind::kFloat:
      return "float64";
    case Kind::kString:
      return "string";
    case Kind::kBool:
      return "bool";
    case Kind::kMap:
      return "map[string]interface {}";
    case Kind::kList:
      return "[]interface {}";
  }
  return "";
}

/// One object's sort value: the first value of the first action, when any.
struct SortValue {
  bool found = false;
  nlohmann::json value;
};

class Comparer {
 public:
  explicit Comparer(const std::string& field) : field_(field) {}

  /// kubectl's Less(i, j), with a missing value before every present one
  /// (kubectl says "less" for two missing values too, which no sort can honour).
  bool Less(const SortValue& a, const SortValue& b) {
    if (!a.found || !b.found) return !a.found && b.found;
    const Kind ka = KindOf(a.value);
    const Kind kb = KindOf(b.value);
    if (ka == Kind::kNull || kb == Kind::kNull) return ka == Kind::kNull && kb != Kind::kNull;
    switch (ka) {
      case Kind::kInt:
        if (kb != Kind::kInt) return Fail(ka, kb);
        return a.value.get<int64_t>() < b.value.get<int64_t>();
      case Kind::kFloat:
        if (kb != Kind::kFloat) return Fail(ka, kb);
        return a.value.get<double>() < b.value.get<double>();
      case Kind::kString: {
        if (kb != Kind::kString) return Fail(ka, kb);
        const std::string& x = a.value.get_ref<const std::string&>();
        const std::string& y = b.value.get_ref<const std::string&>();
        long double qx = 0, qy = 0;
        if (QuantityValue(x, &qx) && QuantityValue(y, &qy)) return qx < qy;
        return x < y;
      }
      default:
        if (!error_) {
          error_ =
              Error(ErrorKind::kInvalidInput, fmt::format("--sort-by {}: unsortable type: {}", field_, GoTypeName(ka)));
        }
        return false;
    }
  }

  const std::optional<Error>& error() const { return error_; }

 private:
  bool Fail(Kind a, Kind b) {
    if (!error_) {
      error_ = Error(ErrorKind::kInvalidInput,
                     fmt::format("--sort-by {}: cannot order a {} against a {} (the objects disagree on its type)",
                                 field_, GoTypeName(a), GoTypeName(b)));
    }
    return false;
  }

  const std::string& field_;
  std::optional<Error> error_;
};

/// A stable merge sort that stays within bounds whatever the comparison
/// answers (kubectl's order of mixed quantities and words is not transitive).
void MergeSort(std::vector<size_t>& order, std::vector<size_t>& scratch, size_t begin, size_t end,
               const std::vector<SortValue>& values, Comparer& comparer) {
  if (end - begin < 2) return;
  const size_t middle = begin + (end - begin) / 2;
  MergeSort(order, scratch, begin, middle, values, comparer);
  MergeSort(order, scratch, middle, end, values, comparer);
  size_t left = begin, right = middle, out = begin;
  while (left < middle && right < end) {
    // Take from the right only when it is strictly less: equal values keep their order.
    if (comparer.Less(values[order[right]], values[order[left]])) {
      scratch[out++] = order[right++];
    } else {
      scratch[out++] = order[left++];
    }
  }
  while (left < middle) scratch[out++] = order[left++];
  while (right < end) scratch[out++] = order[right++];
  std::copy(scratch.begin() + static_cast<std::ptrdiff_t>(begin), scratch.begin() + static_cast<std::ptrdiff_t>(end),
            order.begin() + static_cast<std::ptrdiff_t>(begin));
}

}  // namespace

bool QuantityValue(std::string_view text, long double* value) {
  if (text.empty() || text.size() > 64) return false;
  size_t i = 0;
  if (text[i] == '+' || text[i] == '-') ++i;
  size_t digits = 0;
  for (; i < text.size() && IsDigit(text[i]); ++i) ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && IsDigit(text[i]); ++i) ++digits;
  }
  if (digits == 0) return false;
  const std::optional<long double> multiplier = SuffixMultiplier(text.substr(i));
  if (!multiplier) return false;
  const std::string number(text.substr(0, i));
  *value = std::strtold(number.c_str(), nullptr) * *multiplier;
  return true;
}

Result<SortBy> SortBy::Parse(std::string_view field) {
  if (field.empty()) return Error(ErrorKind::kUsage, "--sort-by needs a JSONPath, e.g. .metadata.name");
  auto relaxed = RelaxedJsonPathExpression(field);
  if (!relaxed.ok()) return relaxed.error().WithContext("--sort-by");
  auto path = JsonPath::Parse(*relaxed);
  if (!path.ok()) {
    return Error(ErrorKind::kUsage,
                 fmt::format("--sort-by: error parsing jsonpath {}, {}", *relaxed, path.error().message()));
  }
  return SortBy(std::move(*relaxed), std::move(*path));
}

Result<std::vector<size_t>> SortBy::Order(std::span<const nlohmann::json* const> objects) const {
  std::vector<SortValue> values(objects.size());
  bool found_once = false;
  for (size_t i = 0; i < objects.size(); ++i) {
    auto found = path_.FindValues(*objects[i]);
    if (!found.ok()) return found.error().WithContext(fmt::format("--sort-by {}", field_));
    if (!found->empty() && !found->front().empty()) {
      values[i].found = true;
      values[i].value = std::move(found->front().front());
      found_once = true;
    }
  }
  std::vector<size_t> order(objects.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (objects.empty()) return order;
  if (!found_once) {
    return Error(ErrorKind::kInvalidInput,
                 fmt::format("couldn't find any field with path \"{}\" in the list of objects", field_));
  }
  Comparer comparer(field_);
  std::vector<size_t> scratch(order.size());
  MergeSort(order, scratch, 0, order.size(), values, comparer);
  if (comparer.error()) return *comparer.error();
  return order;
}

}  // namespace llm
