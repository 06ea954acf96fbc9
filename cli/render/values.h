// Values: what a workload is rendered from, gathered from four layers.
// Precedence (highest first): flags > --set path=value > -f values files (later
// files win) > the workload's defaults (applied later, in C++).
//
// Every value stays a string until the workload reads it with the type its key
// declares, so a file's `port: 8080` and `--set port=8080` and `--port 8080`
// are read alike and any error names where the value came from. Maps merge key
// by key across layers; lists are replaced by the higher layer.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "util/result.h"

namespace llm {

enum class ValueKind {
  kScalar,  ///< one string, read as text, integer, quantity ... by the workload
  kMap,     ///< string -> string; flag form K=V, repeatable; --set key.K=V
  kList,    ///< strings; flag repeatable; --set key[N]=V (N = length appends)
  kSwitch,  ///< true or false; the flag takes no value (--monitor, --monitor=false)
};

/// One known key: its name in values files and --set, and its flag.
struct ValueSpec {
  std::string_view key;   ///< camelCase, e.g. "tensorParallel"
  std::string_view flag;  ///< e.g. "--tensor-parallel"; "" when no flag sets it
  ValueKind kind;
  std::string_view help;
  /// What --help shows after the flag ("N", "KEY=VALUE"); "" shows VALUE.
  std::string_view value_name = {};
};

struct Value {
  std::variant<std::string, std::map<std::string, std::string>, std::vector<std::string>> data;
  /// Where the value (or, for maps, its last entry) came from: "--gpus",
  /// "--set gpus", "values.yaml: gpus". Used in error messages.
  std::string origin;
};

class Values {
 public:
  explicit Values(std::span<const ValueSpec> specs) : specs_(specs) {}

  /// Merges one values file (a YAML mapping of known keys). `source` names it.
  Status MergeFile(std::string_view yaml_text, std::string_view source);
  /// Applies one `--set path=value`.
  Status ApplySet(std::string_view assignment);
  /// Applies the occurrences of one flag (in command-line order).
  Status ApplyFlag(const ValueSpec& spec, const std::vector<std::string>& occurrences);
  /// Sets a scalar that no layer set, from the cluster (a tenant's queue);
  /// `origin` says where it came from. Returns whether it was set.
  Result<bool> ApplyContextDefault(const ValueSpec& spec, std::string value, std::string origin);

  const ValueSpec* Find(std::string_view key) const;
  std::span<const ValueSpec> specs() const { return specs_; }

  /// Typed reads; the key must be one of the specs (else kInternal).
  std::optional<std::string> String(std::string_view key) const;
  Result<std::optional<long long>> Int(std::string_view key, long long min, long long max) const;
  /// A switch: false when unset; "true" or "false" from any layer.
  Result<bool> Bool(std::string_view key) const;
  std::map<std::string, std::string> Map(std::string_view key) const;
  std::vector<std::string> List(std::string_view key) const;
  /// Where `key` was set ("--gpus", "--set gpus", "values.yaml: gpus"); the flag if unset.
  std::string Origin(std::string_view key) const;

 private:
  Status Set(const ValueSpec& spec, Value value);
  Error UnknownKey(std::string_view key, std::string_view origin) const;

  std::span<const ValueSpec> specs_;
  std::map<std::string, Value, std::less<>> values_;
};

}  // namespace llm
