#include "util/redacted_command_line.h"

#include <array>

#include "util/strings.h"

namespace llm {
namespace {

constexpr std::string_view kRedacted = "<redacted>";

/// Shell-quotes a word only when it needs it, so the common line reads as typed.
std::string Quoted(std::string_view word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                              "-_./:=,+@%") == std::string_view::npos) {
    return std::string(word);
  }
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// "KEY=VALUE" with a secret-looking KEY (the last dotted part counts as well
/// as the whole: "env.HF_TOKEN"), redacted; other words unchanged.
std::string RedactAssignment(std::string_view word) {
  const size_t eq = word.find('=');
  if (eq == std::string_view::npos || eq == 0) return std::string(word);
  if (!IsSecretLookingKey(word.substr(0, eq))) return std::string(word);
  return std::string(word.substr(0, eq + 1)) + std::string(kRedacted);
}

}  // namespace

bool IsSecretLookingKey(std::string_view key) {
  static constexpr std::array<std::string_view, 9> kParts = {
      "token", "password", "passwd", "secret", "credential", "apikey", "privatekey", "clientkey", "bearer"};
  std::string normalized;
  for (char c : Lower(key)) {
    if (c != '-' && c != '_' && c != '.') normalized += c;
  }
  for (std::string_view part : kParts) {
    if (normalized.find(part) != std::string::npos) return true;
  }
  return false;
}

std::string RedactedCommandLine(const std::vector<std::string>& args) {
  std::string line = "kubectl llm";
  bool redact_next = false;
  for (const std::string& arg : args) {
    std::string word;
    if (redact_next) {
      word = kRedacted;
      redact_next = false;
    } else if (arg.starts_with("-") && arg != "--") {
      const std::string_view flag = std::string_view(arg).substr(arg.find_first_not_of('-'));
      const size_t eq = flag.find('=');
      if (IsSecretLookingKey(flag.substr(0, eq))) {
        if (eq == std::string_view::npos) {
          redact_next = true;
          word = arg;
        } else {
          word = arg.substr(0, arg.size() - flag.size() + eq + 1) + std::string(kRedacted);
        }
      } else {
        // --set=hf.token=X: the flag is harmless, its assignment may not be.
        word = eq == std::string_view::npos
                   ? arg
                   : arg.substr(0, arg.size() - flag.size() + eq + 1) + RedactAssignment(flag.substr(eq + 1));
      }
    } else {
      word = RedactAssignment(arg);
    }
    line += ' ';  // two appends: `" " + text` trips GCC 12's false -Wrestrict at -O3
    line += Quoted(word);
  }
  return line;
}

}  // namespace llm
