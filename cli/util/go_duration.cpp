#include "util/go_duration.h"

#include <fmt/format.h>

namespace llm {

std::string GoDurationString(std::chrono::milliseconds d) {
  long long ms = d.count();
  if (ms == 0) return "0s";
  std::string out = ms < 0 ? "-" : "";
  if (ms < 0) ms = -ms;
  if (ms < 1000) return out + fmt::format("{}ms", ms);
  const long long hours = ms / 3'600'000, minutes = ms / 60'000 % 60, seconds = ms / 1000 % 60;
  if (hours > 0) out += fmt::format("{}h", hours);
  if (hours > 0 || minutes > 0) out += fmt::format("{}m", minutes);
  out += std::to_string(seconds);
  if (const long long fraction = ms % 1000; fraction > 0) {
    std::string digits = fmt::format(".{:03}", fraction);
    while (digits.back() == '0') digits.pop_back();
    out += digits;
  }
  return out + "s";
}

}  // namespace llm
