#include "commands/help_formatter.h"

#include <map>
#include <string_view>

namespace llm {
namespace {

/// What a value of these options is, where CLI11 would say TEXT: the same word
/// for the same flag in every command.
std::string_view MetavarByName(std::string_view long_name) {
  static const std::map<std::string_view, std::string_view> kMetavars = {
      {"output", "FORMAT"},
      {"dry-run", "STRATEGY"},
      {"timeout", "DURATION"},
      {"request-timeout", "DURATION"},
      {"since", "DURATION"},
      {"since-time", "TIME"},
      {"selector", "SELECTOR"},
      {"field-selector", "SELECTOR"},
      {"sort-by", "JSONPATH"},
      {"label-columns", "KEY[,KEY]"},
      {"kubeconfig", "FILE"},
      {"certificate-authority", "FILE"},
      {"client-certificate", "FILE"},
      {"client-key", "FILE"},
      {"cache-dir", "DIR"},
      {"context", "NAME"},
      {"cluster", "NAME"},
      {"user", "NAME"},
      {"namespace", "NAMESPACE"},
      {"server", "URL"},
      {"token", "TOKEN"},
      {"tls-server-name", "NAME"},
      {"as", "USER"},
      {"as-group", "GROUP"},
      {"v", "LEVEL"},
      {"container", "NAME"},
      {"role", "ROLE"},
      {"backend", "BACKEND"},
      {"cascade", "POLICY"},
      {"revision", "REVISION"},
      {"resource-version", "VERSION"},
      {"field-manager", "NAME"},
      {"profile", "PROFILE"},
      {"image", "IMAGE"},
      {"validity", "DURATION"},
      {"unschedulable-grace", "DURATION"},
      {"report", "FILE"},
      {"from-json", "FILE"},
      {"prompt", "PROMPT"},
      {"ttft-budget", "DURATION"},
      {"model", "MODEL"},
      {"interval", "DURATION"},
  };
  auto it = kMetavars.find(long_name);
  return it == kMetavars.end() ? std::string_view() : it->second;
}

}  // namespace

std::string HelpFormatter::make_option_name(const CLI::Option* opt, bool is_positional) const {
  std::string name = CLI::Formatter::make_option_name(opt, is_positional);
  for (size_t at = name.find("{}"); at != std::string::npos; at = name.find("{}", at)) name.erase(at, 2);
  return name;
}

std::string HelpFormatter::make_usage(const CLI::App* app, std::string name) const {
  std::string usage = CLI::Formatter::make_usage(app, std::move(name));
  for (size_t at = usage.find(" []"); at != std::string::npos; at = usage.find(" []", at)) usage.erase(at, 3);
  if (size_t at = usage.find("[COMMAND]"); at != std::string::npos) usage.replace(at, 9, "[-- COMMAND...]");
  return usage;
}

std::string HelpFormatter::make_option_opts(const CLI::Option* opt) const {
  if (!opt->get_option_text().empty()) return opt->get_option_text();
  // A positional's name says what it is; a flag takes no value (and has no type name).
  if (!opt->nonpositional() || opt->get_type_size() == 0 || opt->get_type_name().empty()) return "";
  // One value per occurrence, however often the option repeats: no "...",
  // which would read as several values after one flag.
  std::string_view metavar;
  if (!opt->get_lnames().empty()) metavar = MetavarByName(opt->get_lnames().front());
  if (metavar.empty()) {
    const std::string type = opt->get_type_name();
    metavar = type == "INT" || type == "UINT" ? "N" : type.starts_with("FLOAT") ? "NUMBER" : "VALUE";
  }
  return " " + std::string(metavar);
}

}  // namespace llm
