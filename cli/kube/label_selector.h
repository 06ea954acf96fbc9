// LabelSelector: kubectl's -l syntax (k8s.io/apimachinery labels.Parse), so
// nodes are chosen locally exactly as `kubectl get nodes -l ...` would choose
// them: "a=b,c!=d,e in (x,y),f notin (z),g,!h,i>3".
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/result.h"

namespace llm {

struct LabelRequirement {
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kExists, kDoesNotExist, kGreaterThan, kLessThan };
  std::string key;
  Op op = Op::kExists;
  std::vector<std::string> values;  ///< sorted and unique, like apimachinery's
};

class LabelSelector {
 public:
  /// The empty string selects everything. Errors are kUsage, name `flag` and
  /// say which requirement is wrong and what is accepted.
  static Result<LabelSelector> Parse(std::string_view text, std::string_view flag = "--selector");
  /// A metav1.LabelSelector as objects carry it ({matchLabels, matchExpressions});
  /// `{}` selects everything. Not an object, or an unknown operator: kInvalidInput
  /// naming `field`. (A null selector, which selects nothing, is the caller's to handle.)
  static Result<LabelSelector> FromApi(const nlohmann::json& selector, std::string_view field);

  /// True when every requirement holds. != and notin hold for absent keys,
  /// as in Kubernetes.
  bool Matches(const std::map<std::string, std::string>& labels) const;
  /// The requirements `labels` do not meet, each as its canonical text
  /// ("team=ml", "tier in (a,b)"): what a warning names as missing.
  std::vector<std::string> Unmet(const std::map<std::string, std::string>& labels) const;

  bool empty() const { return requirements_.empty(); }
  const std::vector<LabelRequirement>& requirements() const { return requirements_; }

  /// The canonical text (what the API server would accept as labelSelector=).
  std::string String() const;

 private:
  std::vector<LabelRequirement> requirements_;
};

/// Label key syntax: [prefix/]name, prefix a DNS subdomain <= 253, name <= 63
/// alphanumerics, '-', '_', '.', beginning and ending alphanumeric. "" when valid,
/// else why not.
std::string LabelKeyProblem(std::string_view key);
/// Label value syntax: "" or <= 63 of the name characters. "" when valid.
std::string LabelValueProblem(std::string_view value);

}  // namespace llm
