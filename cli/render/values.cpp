#include "render/values.h"

#include <charconv>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "util/yaml_load.h"
#include "util/yaml_scalar.h"

namespace llm {
namespace {

Error Usage(std::string message) { return Error(ErrorKind::kUsage, std::move(message)); }

std::string Where(std::string_view source, const YAML::Node& node) {
  return fmt::format("{} (line {})", source, node.Mark().line + 1);
}

}  // namespace

const ValueSpec* Values::Find(std::string_view key) const {
  for (const ValueSpec& spec : specs_) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

Error Values::UnknownKey(std::string_view key, std::string_view origin) const {
  std::string known;
  for (const ValueSpec& spec : specs_) {
    if (!known.empty()) known += ", ";
    known += spec.key;
  }
  return Usage(fmt::format("{}: unknown key '{}'; known keys: {}", origin, key, known));
}

Status Values::Set(const ValueSpec& spec, Value value) {
  const auto check = [&](std::string_view s) { return CheckUtf8(s, value.origin); };
  if (const auto* s = std::get_if<std::string>(&value.data)) {
    LLM_RETURN_IF_ERROR(check(*s));
  } else if (const auto* m = std::get_if<std::map<std::string, std::string>>(&value.data)) {
    for (const auto& [k, v] : *m) {
      LLM_RETURN_IF_ERROR(check(k));
      LLM_RETURN_IF_ERROR(check(v));
    }
  } else {
    for (const std::string& item : std::get<std::vector<std::string>>(value.data)) LLM_RETURN_IF_ERROR(check(item));
  }
  auto it = values_.find(spec.key);
  if (spec.kind == ValueKind::kMap && it != values_.end()) {
    auto& merged = std::get<std::map<std::string, std::string>>(it->second.data);
    for (auto& [k, v] : std::get<std::map<std::string, std::string>>(value.data)) merged[k] = std::move(v);
    it->second.origin = std::move(value.origin);
    return Ok();
  }
  values_.insert_or_assign(std::string(spec.key), std::move(value));
  return Ok();
}

Status Values::MergeFile(std::string_view yaml_text, std::string_view source) {
  // Everything a values file sets ends up in objects the API server stores,
  // which it refuses past ~1.5 MB (etcd's request limit) after part of the
  // set may already be applied: refuse it here, before anything is written.
  constexpr size_t kMaxBytes = 1024 * 1024;
  if (yaml_text.size() > kMaxBytes) {
    return Usage(fmt::format("{}: {} bytes; a values file may hold at most 1 MiB", source, yaml_text.size()));
  }
  std::vector<YAML::Node> docs;
  try {
    docs = LoadAllYaml(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return Usage(fmt::format("{}: line {}: {}", source, e.mark.line + 1, e.msg));
  }
  if (docs.size() > 1) return Usage(fmt::format("{}: a values file holds one YAML document", source));
  if (docs.empty() || docs[0].IsNull()) return Ok();
  const YAML::Node& root = docs[0];
  if (!root.IsMap()) return Usage(fmt::format("{}: a values file must be a mapping of keys to values", source));
  for (const auto& kv : root) {
    if (!kv.first.IsScalar()) return Usage(fmt::format("{}: keys must be strings", Where(source, kv.first)));
    const std::string& key = kv.first.Scalar();
    const ValueSpec* spec = Find(key);
    if (spec == nullptr) return UnknownKey(key, Where(source, kv.first));
    const YAML::Node& node = kv.second;
    if (node.IsNull()) continue;  // `key:` with nothing leaves the key to lower layers
    Value value{std::string(), fmt::format("{}: {}", source, key)};
    switch (spec->kind) {
      case ValueKind::kScalar:
      case ValueKind::kSwitch:
        if (!node.IsScalar()) return Usage(fmt::format("{}: '{}' must be a single value", Where(source, node), key));
        value.data = node.Scalar();
        break;
      case ValueKind::kMap: {
        if (!node.IsMap()) return Usage(fmt::format("{}: '{}' must be a mapping", Where(source, node), key));
        std::map<std::string, std::string> map;
        for (const auto& entry : node) {
          if (!entry.first.IsScalar() || !entry.second.IsScalar()) {
            return Usage(fmt::format("{}: '{}' must map strings to strings", Where(source, entry.first), key));
          }
          map[entry.first.Scalar()] = entry.second.Scalar();
        }
        value.data = std::move(map);
        break;
      }
      case ValueKind::kList: {
        if (!node.IsSequence()) return Usage(fmt::format("{}: '{}' must be a list", Where(source, node), key));
        std::vector<std::string> list;
        for (const YAML::Node& item : node) {
          if (!item.IsScalar()) {
            return Usage(fmt::format("{}: items of '{}' must be single values", Where(source, item), key));
          }
          list.push_back(item.Scalar());
        }
        value.data = std::move(list);
        break;
      }
    }
    LLM_RETURN_IF_ERROR(Set(*spec, std::move(value)));
  }
  return Ok();
}

Status Values::ApplySet(std::string_view assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return Usage(fmt::format("--set: expected path=value, got '{}'", assignment));
  }
  const std::string_view path = assignment.substr(0, eq);
  const std::string value(assignment.substr(eq + 1));
  const size_t sep = path.find_first_of(".[");
  const std::string_view key = path.substr(0, sep);
  const ValueSpec* spec = Find(key);
  if (spec == nullptr) return UnknownKey(key, "--set");
  const std::string origin = fmt::format("--set {}", path);
  if (sep == std::string_view::npos) {
    if (spec->kind == ValueKind::kScalar || spec->kind == ValueKind::kSwitch) return Set(*spec, Value{value, origin});
    if (spec->kind == ValueKind::kList) return Set(*spec, Value{std::vector<std::string>{value}, origin});
    return Usage(fmt::format("--set {}: '{}' is a map; set one entry with {}.KEY=VALUE", path, key, key));
  }
  if (path[sep] == '.') {
    if (spec->kind != ValueKind::kMap || sep + 1 == path.size()) {
      return Usage(fmt::format("--set {}: only map keys take '.KEY' ('{}' is not a map or KEY is empty)", path, key));
    }
    // Everything after the first dot is the map key, dots included
    // (--set nodeSelector.kubernetes.io/hostname=n1).
    return Set(*spec, Value{std::map<std::string, std::string>{{std::string(path.substr(sep + 1)), value}}, origin});
  }
  size_t index = 0;
  const std::string_view index_text = path.substr(sep + 1, path.size() - sep - 2);
  const auto [end, ec] = std::from_chars(index_text.data(), index_text.data() + index_text.size(), index);
  if (spec->kind != ValueKind::kList || path.back() != ']' || ec != std::errc() ||
      end != index_text.data() + index_text.size()) {
    return Usage(fmt::format("--set {}: only list keys take '[INDEX]' with a decimal index", path));
  }
  std::vector<std::string> list = List(key);
  if (index > list.size()) {
    return Usage(fmt::format("--set {}: index {} is past the end of '{}' ({} items; {} appends)", path, index, key,
                             list.size(), list.size()));
  }
  if (index == list.size()) {
    list.push_back(value);
  } else {
    list[index] = value;
  }
  return Set(*spec, Value{std::move(list), origin});
}

Status Values::ApplyFlag(const ValueSpec& spec, const std::vector<std::string>& occurrences) {
  if (occurrences.empty()) return Ok();
  const std::string origin(spec.flag);
  switch (spec.kind) {
    case ValueKind::kScalar:
    case ValueKind::kSwitch:
      return Set(spec, Value{occurrences.back(), origin});  // the last one wins, as in kubectl
    case ValueKind::kList:
      return Set(spec, Value{occurrences, origin});
    case ValueKind::kMap: {
      std::map<std::string, std::string> map;
      for (const std::string& kv : occurrences) {
        const size_t eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) {
          return Usage(fmt::format("{}: expected KEY=VALUE, got '{}'", spec.flag, kv));
        }
        map[kv.substr(0, eq)] = kv.substr(eq + 1);
      }
      return Set(spec, Value{std::move(map), origin});
    }
  }
  return Ok();
}

Result<bool> Values::ApplyContextDefault(const ValueSpec& spec, std::string value, std::string origin) {
  if (spec.kind != ValueKind::kScalar || values_.count(spec.key) != 0) return false;
  LLM_RETURN_IF_ERROR(Set(spec, Value{std::move(value), std::move(origin)}));
  return true;
}

std::optional<std::string> Values::String(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  if (const auto* s = std::get_if<std::string>(&it->second.data)) return *s;
  return std::nullopt;
}

Result<std::optional<long long>> Values::Int(std::string_view key, long long min, long long max) const {
  const std::optional<std::string> text = String(key);
  if (!text) return std::optional<long long>();
  long long v = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < min || v > max) {
    return Usage(fmt::format("{}: must be an integer from {} to {}, got '{}'", Origin(key), min, max, *text));
  }
  return std::optional<long long>(v);
}

Result<bool> Values::Bool(std::string_view key) const {
  const std::optional<std::string> text = String(key);
  if (!text || *text == "false") return false;
  if (*text == "true") return true;
  return Usage(fmt::format("{}: must be true or false, got '{}'", Origin(key), *text));
}

std::map<std::string, std::string> Values::Map(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return {};
  if (const auto* m = std::get_if<std::map<std::string, std::string>>(&it->second.data)) return *m;
  return {};
}

std::vector<std::string> Values::List(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return {};
  if (const auto* l = std::get_if<std::vector<std::string>>(&it->second.data)) return *l;
  return {};
}

std::string Values::Origin(std::string_view key) const {
  auto it = values_.find(key);
  if (it != values_.end()) return it->second.origin;
  const ValueSpec* spec = Find(key);
  return spec != nullptr && !spec->flag.empty() ? std::string(spec->flag) : std::string(key);
}

}  // namespace llm
