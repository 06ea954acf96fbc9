#include "workload/sweep_plan.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <random>
#include <set>

#include <fmt/format.h>

#include "util/strings.h"

namespace llm {
namespace {

constexpr std::string_view kAccepted =
    "NAME=V1,V2,... (a grid), NAME=uniform:LOW:HIGH, NAME=loguniform:LOW:HIGH, NAME=int:LOW:HIGH or NAME=choice:A|B|C";

Error ParamError(std::string_view spec, std::string_view why) {
  return Error(ErrorKind::kUsage, fmt::format("--param {}: {}; accepted: {}", spec, why, kAccepted));
}

bool IsIdentifierStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentifierChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool IsIdentifier(std::string_view text) {
  if (text.empty() || !IsIdentifierStart(text[0])) return false;
  for (char c : text) {
    if (!IsIdentifierChar(c)) return false;
  }
  return true;
}

std::vector<std::string> SplitOn(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.emplace_back(Trim(text.substr(start, end == std::string_view::npos ? end : end - start)));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::optional<double> ParseNumber(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

Result<SweepParam> ParseRange(std::string_view spec, SweepParam param, const std::vector<std::string>& bounds) {
  if (bounds.size() != 2) return ParamError(spec, "a range takes LOW:HIGH");
  const std::optional<double> low = ParseNumber(bounds[0]);
  const std::optional<double> high = ParseNumber(bounds[1]);
  if (!low || !high) return ParamError(spec, "LOW and HIGH must be numbers");
  if (!(*low < *high)) return ParamError(spec, "LOW must be less than HIGH");
  if (param.kind == SweepParam::Kind::kLogUniform && *low <= 0) {
    return ParamError(spec, "loguniform needs 0 < LOW");
  }
  if (param.kind == SweepParam::Kind::kInt && (std::trunc(*low) != *low || std::trunc(*high) != *high)) {
    return ParamError(spec, "int takes whole numbers");
  }
  param.low = *low;
  param.high = *high;
  return param;
}

/// Uniform in [0, 1) from 53 random bits: the same on every standard library
/// (std::uniform_real_distribution's algorithm is the library's choice).
double Unit(std::mt19937_64& random) { return static_cast<double>(random() >> 11) * 0x1.0p-53; }

std::string Sample(const SweepParam& param, std::mt19937_64& random) {
  const double u = Unit(random);
  switch (param.kind) {
    case SweepParam::Kind::kUniform:
      return fmt::format("{:.6g}", param.low + u * (param.high - param.low));
    case SweepParam::Kind::kLogUniform:
      return fmt::format("{:.6g}", std::exp(std::log(param.low) + u * (std::log(param.high) - std::log(param.low))));
    case SweepParam::Kind::kInt: {
      const double count = param.high - param.low + 1;
      return fmt::format("{}", static_cast<long long>(param.low + std::floor(u * count)));
    }
    case SweepParam::Kind::kChoice:
      return param.values[static_cast<size_t>(u * static_cast<double>(param.values.size()))];
    case SweepParam::Kind::kGrid:
      break;
  }
  return "";
}

/// Where `command[i]` holds placeholders: (start of '{', name) pairs.
std::vector<std::pair<size_t, std::string>> Placeholders(std::string_view word) {
  std::vector<std::pair<size_t, std::string>> found;
  for (size_t open = word.find('{'); open != std::string_view::npos; open = word.find('{', open + 1)) {
    if (open > 0 && word[open - 1] == '$') continue;
    const size_t close = word.find('}', open + 1);
    if (close == std::string_view::npos) break;
    std::string_view name = word.substr(open + 1, close - open - 1);
    if (IsIdentifier(name)) found.emplace_back(open, std::string(name));
  }
  return found;
}

}  // namespace

Result<SweepParam> ParseSweepParam(std::string_view spec) {
  const size_t equals = spec.find('=');
  if (equals == std::string_view::npos) return ParamError(spec, "it has no '='");
  SweepParam param;
  param.name = std::string(Trim(spec.substr(0, equals)));
  if (!IsIdentifier(param.name)) {
    return ParamError(spec,
                      "NAME must be a letter or '_' followed by letters, digits or '_' (it is {NAME} in the "
                      "command)");
  }
  const std::string_view value = Trim(spec.substr(equals + 1));
  static constexpr std::pair<std::string_view, SweepParam::Kind> kDistributions[] = {
      {"uniform:", SweepParam::Kind::kUniform},
      {"loguniform:", SweepParam::Kind::kLogUniform},
      {"int:", SweepParam::Kind::kInt},
      {"choice:", SweepParam::Kind::kChoice},
  };
  for (const auto& [prefix, kind] : kDistributions) {
    if (value.substr(0, prefix.size()) != prefix) continue;
    param.kind = kind;
    const std::string_view rest = value.substr(prefix.size());
    if (kind != SweepParam::Kind::kChoice) return ParseRange(spec, param, SplitOn(rest, ':'));
    param.values = SplitOn(rest, '|');
    for (const std::string& choice : param.values) {
      if (choice.empty()) return ParamError(spec, "choice has an empty value");
    }
    return param;
  }
  if (const size_t colon = value.find(':'); colon != std::string_view::npos &&
                                            value.find(',') == std::string_view::npos &&
                                            IsIdentifier(value.substr(0, colon))) {
    return ParamError(spec, fmt::format("unknown distribution \"{}\"", value.substr(0, colon)));
  }
  param.values = SplitOn(value, ',');
  for (const std::string& listed : param.values) {
    if (listed.empty()) return ParamError(spec, "the grid has an empty value");
  }
  return param;
}

Result<std::vector<TrialParams>> PlanTrials(const std::vector<SweepParam>& params, int samples, uint64_t seed) {
  if (params.empty())
    return Error(ErrorKind::kUsage, fmt::format("a sweep needs at least one --param ({})", kAccepted));
  if (samples < 1) return Error(ErrorKind::kUsage, fmt::format("--trials must be at least 1, got {}", samples));
  std::set<std::string> names;
  size_t grid_size = 1;
  bool sampled = false;
  for (const SweepParam& param : params) {
    if (!names.insert(param.name).second) {
      return Error(ErrorKind::kUsage, fmt::format("--param {} is given twice", param.name));
    }
    if (param.kind == SweepParam::Kind::kGrid) {
      grid_size *= param.values.size();
      if (grid_size > static_cast<size_t>(kMaxSweepTrials)) break;
    } else {
      sampled = true;
    }
  }
  if (samples > 1 && !sampled) {
    return Error(ErrorKind::kUsage,
                 fmt::format("--trials {} samples the distributions, and no --param has one (give NAME=uniform:, "
                             "loguniform:, int: or choice:)",
                             samples));
  }
  const size_t total = grid_size * static_cast<size_t>(samples);
  if (grid_size > static_cast<size_t>(kMaxSweepTrials) || total > static_cast<size_t>(kMaxSweepTrials)) {
    return Error(ErrorKind::kUsage, fmt::format("the --param grid and --trials make more than {} trials; fewer values "
                                                "or --trials make a sweep that fits",
                                                kMaxSweepTrials));
  }
  std::mt19937_64 random(seed);
  std::vector<TrialParams> trials;
  trials.reserve(total);
  for (size_t point = 0; point < grid_size; ++point) {
    for (int sample = 0; sample < samples; ++sample) {
      TrialParams trial;
      size_t rest = point;
      // Mixed radix over the grid axes, the last one varying fastest.
      std::vector<size_t> digits(params.size(), 0);
      for (size_t i = params.size(); i-- > 0;) {
        if (params[i].kind != SweepParam::Kind::kGrid) continue;
        digits[i] = rest % params[i].values.size();
        rest /= params[i].values.size();
      }
      for (size_t i = 0; i < params.size(); ++i) {
        const SweepParam& param = params[i];
        trial.emplace_back(param.name,
                           param.kind == SweepParam::Kind::kGrid ? param.values[digits[i]] : Sample(param, random));
      }
      trials.push_back(std::move(trial));
    }
  }
  return trials;
}

uint64_t DefaultSweepSeed(std::string_view sweep_name) {
  uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a: stable across builds and machines
  for (char c : sweep_name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

Status CheckPlaceholders(const std::vector<std::string>& command, const std::vector<SweepParam>& params) {
  std::set<std::string> defined, used;
  for (const SweepParam& param : params) defined.insert(param.name);
  for (const std::string& word : command) {
    for (const auto& [position, name] : Placeholders(word)) {
      if (!defined.count(name)) {
        return Error(
            ErrorKind::kUsage,
            fmt::format("the command reads {{{}}}, which no --param defines (give --param {}=...)", name, name));
      }
      used.insert(name);
    }
  }
  for (const SweepParam& param : params) {
    if (!used.count(param.name)) {
      return Error(ErrorKind::kUsage,
                   fmt::format("--param {} is not used by the command: put {{{}}} where the trial takes it (e.g. -- "
                               "torchrun train.py --{} {{{}}})",
                               param.name, param.name, param.name, param.name));
    }
  }
  return Ok();
}

std::vector<std::string> FillPlaceholders(const std::vector<std::string>& command, const TrialParams& params) {
  std::vector<std::string> filled;
  filled.reserve(command.size());
  for (const std::string& word : command) {
    std::string out;
    size_t copied = 0;
    for (const auto& [position, name] : Placeholders(word)) {
      for (const auto& [param, value] : params) {
        if (param != name) continue;
        out.append(word, copied, position - copied);
        out += value;
        copied = position + name.size() + 2;
        break;
      }
    }
    out.append(word, copied);
    filled.push_back(std::move(out));
  }
  return filled;
}

std::string FormatTrialParams(const TrialParams& params) {
  std::string line;
  for (const auto& [name, value] : params) {
    if (!line.empty()) line += ' ';
    line += name + "=" + value;
  }
  return line;
}

}  // namespace llm
