#include "commands/help_formatter.h"

namespace llm {

std::string HelpFormatter::make_option_name(const CLI::Option* opt, bool is_positional) const {
  std::string name = CLI::Formatter::make_option_name(opt, is_positional);
  for (size_t at = name.find("{}"); at != std::string::npos; at = name.find("{}", at)) name.erase(at, 2);
  return name;
}

std::string HelpFormatter::make_option_opts(const CLI::Option* opt) const {
  if (!opt->get_option_text().empty()) return opt->get_option_text();
  return CLI::Formatter::make_option_opts(opt);
}

}  // namespace llm
