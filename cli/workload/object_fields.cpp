#include "workload/object_fields.h"

#include <charconv>
#include <ctime>

namespace llm {

const nlohmann::json* FindPath(const nlohmann::json& object, std::initializer_list<std::string_view> path) {
  const nlohmann::json* current = &object;
  for (std::string_view key : path) {
    if (!current->is_object()) return nullptr;
    auto it = current->find(key);
    if (it == current->end()) return nullptr;
    current = &*it;
  }
  return current;
}

std::string StringAt(const nlohmann::json& object, std::initializer_list<std::string_view> path,
                     std::string_view fallback) {
  const nlohmann::json* value = FindPath(object, path);
  if (value == nullptr || !value->is_string()) return std::string(fallback);
  return value->get<std::string>();
}

int64_t IntAt(const nlohmann::json& object, std::initializer_list<std::string_view> path, int64_t fallback) {
  const nlohmann::json* value = FindPath(object, path);
  if (value == nullptr || !value->is_number_integer()) return fallback;
  return value->get<int64_t>();
}

std::string LabelOf(const nlohmann::json& object, std::string_view key) {
  return StringAt(object, {"metadata", "labels", key});
}

const nlohmann::json& ItemsOf(const nlohmann::json& list_or_array) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  if (list_or_array.is_array()) return list_or_array;
  const nlohmann::json* items = FindPath(list_or_array, {"items"});
  if (items != nullptr && items->is_array()) return *items;
  return kEmpty;
}

const nlohmann::json* FindCondition(const nlohmann::json& object, std::string_view type) {
  const nlohmann::json* conditions = FindPath(object, {"status", "conditions"});
  if (conditions == nullptr || !conditions->is_array()) return nullptr;
  for (const nlohmann::json& condition : *conditions) {
    if (StringAt(condition, {"type"}) == type) return &condition;
  }
  return nullptr;
}

namespace {

bool ReadDigits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + count, out);
  return ec == std::errc() && end == text.data() + pos + count;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseTimestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') ||
      text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  if (!ReadDigits(text, 0, 4, year) || !ReadDigits(text, 5, 2, month) || !ReadDigits(text, 8, 2, day) ||
      !ReadDigits(text, 11, 2, hour) || !ReadDigits(text, 14, 2, minute) || !ReadDigits(text, 17, 2, second)) {
    return std::nullopt;
  }
  size_t pos = 19;
  std::chrono::nanoseconds fraction{0};
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int64_t scale = 100000000;
    size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      fraction += std::chrono::nanoseconds((text[pos] - '0') * scale);
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  std::chrono::seconds offset{0};
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = 0, om = 0;
    if (!ReadDigits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !ReadDigits(text, pos + 4, 2, om)) {
      return std::nullopt;
    }
    offset = std::chrono::hours(oh) + std::chrono::minutes(om);
    if (text[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                   std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  auto days = std::chrono::sys_days(date);
  auto time = days + std::chrono::hours(hour) + std::chrono::minutes(minute) + std::chrono::seconds(second) - offset;
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(time) +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(fraction);
}

std::optional<int64_t> ParseCountQuantity(const nlohmann::json& quantity) {
  if (quantity.is_number_integer()) return quantity.get<int64_t>();
  if (!quantity.is_string()) return std::nullopt;
  const std::string& text = quantity.get_ref<const std::string&>();
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value < 0) return std::nullopt;
  std::string_view suffix(end, static_cast<size_t>(text.data() + text.size() - end));
  int64_t multiplier = 1;
  if (suffix.empty()) {
    multiplier = 1;
  } else if (suffix == "k") {
    multiplier = 1000;
  } else if (suffix == "M") {
    multiplier = 1000000;
  } else {
    return std::nullopt;
  }
  return value * multiplier;
}

}  // namespace llm
