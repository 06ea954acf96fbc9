#include "faults/fault_output.h"

#include <map>
#include <regex>
#include <sstream>

namespace llm::testing {
namespace {

const std::regex kRequestLine(
    R"(^(GET|HEAD|POST|PUT|PATCH|DELETE) https?://\S+ (?:(\d{3}) .*in \d+ milliseconds, \d+ bytes|in \d+ milliseconds: .*)$)");

}  // namespace

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool IsRequestLine(const std::string& line) { return std::regex_match(line, kRequestLine); }

bool SentRequest(const std::string& err, const std::string& method, const std::string& path_part) {
  for (const std::string& line : Lines(err)) {
    if (line.starts_with(method + " ") && line.find(path_part) != std::string::npos && IsRequestLine(line)) {
      return true;
    }
  }
  return false;
}

std::string Answers(const std::string& err) {
  std::map<std::string, int> counts;
  for (const std::string& line : Lines(err)) {
    std::smatch m;
    if (!std::regex_match(line, m, kRequestLine)) continue;
    if (!m[2].matched) {
      ++counts["transport error"];
    } else if (const std::string code = m[2].str(); code[0] != '2') {
      ++counts[code];
    }
  }
  std::string out;
  for (const auto& [what, n] : counts) out += (out.empty() ? "" : ", ") + std::to_string(n) + "x " + what;
  return out;
}

std::vector<std::string> UserLines(const std::string& err) {
  std::vector<std::string> lines;
  for (const std::string& line : Lines(err)) {
    if (!IsRequestLine(line)) lines.push_back(line);
  }
  return lines;
}

std::string ClearError(const std::string& err) {
  std::vector<std::string> lines = UserLines(err);
  std::vector<std::string> errors;
  for (const std::string& line : lines) {
    if (line.starts_with("error: ") || line.starts_with("Error from server") || line.starts_with("Unable to connect") ||
        line.starts_with("The connection to the server")) {
      errors.push_back(line);
    }
  }
  if (errors.size() != 1 || lines.back() != errors.front()) return "";
  return errors.front();
}

}  // namespace llm::testing
